import { isPublic, matchRoute } from "./router";

describe("matchRoute", () => {
  it("names fixed pages, with or without a trailing slash", () => {
    expect(matchRoute("/")).toEqual({ page: "gallery" });
    expect(matchRoute("/albums/")).toEqual({ page: "albums" });
    expect(matchRoute("/admin")).toEqual({ page: "admin-members" });
    expect(matchRoute("/admin/jobs")).toEqual({ page: "admin-jobs" });
    expect(matchRoute("/admin/backups/")).toEqual({ page: "admin-backups" });
    expect(matchRoute("/admin/audit")).toEqual({ page: "admin-audit" });
  });

  it("takes parameters from the path, decoded", () => {
    expect(matchRoute("/photos/p1")).toEqual({ page: "photo", photoId: "p1" });
    expect(matchRoute("/albums/a1")).toEqual({ page: "album", albumId: "a1" });
    expect(matchRoute("/albums/a1/photos/p2")).toEqual({ page: "album-photo", albumId: "a1", photoId: "p2" });
    expect(matchRoute("/shared/t%2Dx")).toEqual({ page: "shared", token: "t-x" });
    expect(matchRoute("/shared/t/photos/p")).toEqual({ page: "shared-photo", token: "t", photoId: "p" });
  });

  it("calls anything else not found, malformed escapes included", () => {
    for (const path of ["/nope", "/albums/a/b", "/photos/%E0%A4%A", "/photos//x", "/shared/t/photos/p/extra"]) {
      expect(matchRoute(path)).toEqual({ page: "not-found" });
    }
  });

  it("lets visitors reach only sign-in, sign-up, invitations, password recovery and shared links", () => {
    expect(matchRoute("/invitation")).toEqual({ page: "invitation" });
    expect(isPublic(matchRoute("/invitation"))).toBe(true);
    expect(isPublic(matchRoute("/shared/t"))).toBe(true);
    expect(isPublic(matchRoute("/shared/t/photos/p"))).toBe(true);
    expect(isPublic(matchRoute("/sign-up"))).toBe(true);
    expect(isPublic(matchRoute("/forgot-password"))).toBe(true);
    expect(isPublic(matchRoute("/reset-password"))).toBe(true);
    expect(isPublic(matchRoute("/albums"))).toBe(false);
    expect(isPublic(matchRoute("/"))).toBe(false);
  });
});
