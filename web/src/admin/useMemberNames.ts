import { useEffect, useState } from "react";
import { api } from "../api/client";

/** The current display name of each member, by id; what the audit log itself never holds. */
export type MemberNames =
  | { state: "loading" }
  | { state: "loaded"; names: ReadonlyMap<string, string> }
  | { state: "failed"; error: unknown };

const PAGE_SIZE = 200;

/**
 * Every member's display name, read page by page from the admin members
 * list once. An id that is not there belongs to an erased member (or to
 * none at all): the page says so rather than guessing.
 */
export function useMemberNames(): MemberNames {
  const [names, setNames] = useState<MemberNames>({ state: "loading" });

  useEffect(() => {
    let live = true;
    const load = async () => {
      const found = new Map<string, string>();
      const seen = new Set<string>();
      let cursor: string | null = null;
      do {
        const query: { limit: number; cursor?: string } = cursor === null ? { limit: PAGE_SIZE } : { limit: PAGE_SIZE, cursor };
        const { data } = await api.GET("/api/v1/admin/users", { params: { query } });
        for (const member of data?.items ?? []) {
          found.set(member.id, member.display_name);
        }
        // A cursor seen before would go round for ever; stop with what was read.
        cursor = data?.next_cursor && !seen.has(data.next_cursor) ? data.next_cursor : null;
        if (cursor !== null) {
          seen.add(cursor);
        }
      } while (live && cursor !== null);
      return found;
    };
    load().then(
      (found) => {
        if (live) {
          setNames({ state: "loaded", names: found });
        }
      },
      (caught: unknown) => {
        if (live) {
          setNames({ state: "failed", error: caught });
        }
      },
    );
    return () => {
      live = false;
    };
  }, []);

  return names;
}
