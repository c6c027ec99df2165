import type { ContactPermission, StaffPermission } from "./permissions";

/**
 * Every route declares who it is for in `handle.access`. The guards enforce it; the authorization
 * matrix test (test/authorization-matrix.test.ts) reads it from the route manifest and checks each
 * route against every role, so a new route is covered without editing the test.
 */
export type RouteAccess =
  | { area: "public" }
  /** Any signed-in user, contact or staff (their own settings). */
  | { area: "signed-in" }
  | {
      area: "portal";
      permission?: ContactPermission;
      /**
       * The action is a POST that only reads (the bulk ZIP download): staff viewing as a contact may
       * use it. Its guard takes `{ readsOnly: true }` as well; test/view-as.test.ts checks both agree.
       */
      actionReadsOnly?: true;
    }
  /** Portal data for fetch() clients (the shape gateway): 401 / 403 JSON instead of redirects. */
  | { area: "sync" }
  | { area: "admin"; permission?: StaffPermission; actionPermission?: StaffPermission }
  /** The ERP push API: an API key in `Authorization: Bearer`, never a session; 401 / 403 JSON. */
  | { area: "api" };

export function routeAccess(access: RouteAccess) {
  return { access };
}
