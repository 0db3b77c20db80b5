// The password-file reader that pg itself uses; it ships no types.
declare module 'pgpass' {
  interface ConnectionInfo { host: string; port: string; database: string; user: string }
  function pgpass(info: ConnectionInfo, callback: (password: string | undefined) => void): void;
  export default pgpass;
}
