// Checks on a generated HTML page shared by the page and browser tests.

/**
 * Everything a browser could fetch: elements that load things (script, link, img, iframe, …),
 * attributes that point somewhere (src, href, xlink:href, action, any URL other than the SVG
 * namespace), and CSS url() or @import in <style>. Text is not looked at: escaped names such as
 * "&lt;img src=x&gt;" are data, not markup.
 */
export function externalReferences(html: string): string[] {
  const found: string[] = [];
  for (const [tag] of html.matchAll(/<[a-zA-Z][^>]*>/g)) {
    const name = /^<([a-zA-Z][\w:-]*)/.exec(tag)![1].toLowerCase();
    if (['script', 'link', 'img', 'image', 'iframe', 'object', 'embed', 'video', 'audio', 'source', 'use', 'base', 'form'].includes(name)) found.push(tag);
    // Attribute values are quoted; an escaped name inside one cannot end it.
    for (const [, attribute, value] of tag.matchAll(/\s([^\s=>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)'|[^\s>]+)/g)) {
      const lower = attribute.toLowerCase();
      if (['src', 'href', 'xlink:href', 'action', 'poster', 'background', 'srcset'].includes(lower)) found.push(`${name} ${attribute}`);
      else if (lower !== 'xmlns' && /(https?:|\/\/)/i.test(value ?? '')) found.push(`${name} ${attribute}=${value}`);
    }
  }
  for (const [, css] of html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)) {
    for (const [match] of css.matchAll(/url\s*\(|@import/gi)) found.push(match);
  }
  return found;
}
