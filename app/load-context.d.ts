import "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address as Express sees it (honours TRUST_PROXY). */
    clientIp: string;
  }
  // Types loader and action data for single fetch (v3_singleFetch).
  interface Future {
    v3_singleFetch: true;
  }
}
