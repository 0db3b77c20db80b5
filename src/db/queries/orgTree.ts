// The organisation tree (a few thousand rows): loaded once, walked in memory.
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface OrgNode {
  id: number;
  name: string;
  shortName: string | null;
  unitId: number;
  unitName: string;
  parentId: number | null;
  category: string | null;
  townId: number | null;
  children: number[];
}

export class OrgTree {
  readonly byId = new Map<number, OrgNode>();

  static async load(db: Kysely<Database>): Promise<OrgTree> {
    const rows = await db
      .selectFrom('orgs')
      .innerJoin('units', 'units.id', 'orgs.unit_id')
      .select(['orgs.id', 'orgs.name', 'orgs.short_name', 'orgs.unit_id', 'units.name as unit_name', 'orgs.parent_id', 'orgs.category', 'orgs.town_id'])
      .orderBy('orgs.id')
      .execute();
    const tree = new OrgTree();
    for (const r of rows) {
      tree.byId.set(r.id, {
        id: r.id,
        name: r.name,
        shortName: r.short_name,
        unitId: r.unit_id,
        unitName: r.unit_name,
        parentId: r.parent_id,
        category: r.category,
        townId: r.town_id,
        children: [],
      });
    }
    for (const node of tree.byId.values()) {
      if (node.parentId !== null) tree.byId.get(node.parentId)?.children.push(node.id);
    }
    return tree;
  }

  /** By full name or a short name that names exactly one organisation. */
  find(name: string): OrgNode | undefined {
    const key = name.trim();
    let short: OrgNode[] = [];
    for (const node of this.byId.values()) {
      if (node.name === key) return node;
      if (node.shortName === key) short.push(node);
    }
    return short.length === 1 ? short[0] : undefined;
  }

  /** The organisation and every organisation under it. */
  subtree(id: number): number[] {
    const out: number[] = [];
    const stack = [id];
    const seen = new Set<number>();
    while (stack.length) {
      const at = stack.pop()!;
      if (seen.has(at)) continue;
      seen.add(at);
      out.push(at);
      stack.push(...(this.byId.get(at)?.children ?? []));
    }
    return out;
  }

  /** Ancestors from the parent upwards (stops on a loop). */
  ancestors(id: number): number[] {
    const out: number[] = [];
    const seen = new Set<number>([id]);
    for (let at = this.byId.get(id)?.parentId ?? null; at !== null && !seen.has(at); at = this.byId.get(at)?.parentId ?? null) {
      out.push(at);
      seen.add(at);
    }
    return out;
  }
}
