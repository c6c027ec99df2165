import { ensureTemplateDatabase } from "./databases";

/** Builds the migrated, seeded template once for the whole run; each test file copies it. */
export default async function setup({ provide }: { provide: (key: "templateDatabase", value: string) => void }) {
  provide("templateDatabase", await ensureTemplateDatabase());
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}
