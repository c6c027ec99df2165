import { z } from "zod";
import type { EntityDef } from "../entities/types";
import type { ConvertOptions } from "./convert";
import { flatFieldsOf, type FlatField } from "./fields";
import { PRESET_NAMES, presetMapping } from "./presets";

/**
 * A column mapping: ERP column names → our fields, constants for fields the file lacks, and how
 * numbers, dates and the file itself are written. A preset is the starting point; the mapping's
 * own columns and settings win. Columns named like a field need no mapping.
 */

export const MappingSchema = z.strictObject({
  preset: z.enum(PRESET_NAMES, { error: `must be one of ${PRESET_NAMES.join(", ")}` }).optional(),
  columns: z.record(z.string(), z.string({ error: "must be a field name like number or lines.quantity" })).optional(),
  constants: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  numberFormat: z.enum(["en", "de"], { error: "must be en (1,234.56) or de (1.234,56)" }).optional(),
  dateFormat: z.enum(["YYYY-MM-DD", "DD.MM.YYYY", "DD/MM/YYYY", "MM/DD/YYYY"], { error: "must be YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY or MM/DD/YYYY" }).optional(),
  timeZoneOffset: z.string().regex(/^(Z|[+-]\d{2}:\d{2})$/, "must be Z or like +01:00").optional(),
  delimiter: z.enum([",", ";", "\t", "|"], { error: "must be one of , ; | or a tab" }).optional(),
  encoding: z.enum(["utf-8", "windows-1252"], { error: "must be utf-8 or windows-1252" }).optional(),
});

export type MappingInput = z.input<typeof MappingSchema>;

export interface Mapping extends ConvertOptions {
  columns: Record<string, string>;
  constants: Record<string, string | number | boolean>;
  delimiter?: string;
  encoding?: "utf-8" | "windows-1252";
  preset: string;
}

export class MappingError extends Error {}

/** A preset name, or a mapping object (from --mapping map.json or the upload form), made complete. */
export function resolveMapping(input: string | MappingInput | undefined | null, entity: string): Mapping {
  let mapping: MappingInput = {};
  if (typeof input === "string") {
    const preset = presetMapping(input, entity);
    if (!preset) throw new MappingError(`Unknown mapping preset "${input}": use ${PRESET_NAMES.join(", ")} or a JSON mapping file.`);
    mapping = { ...preset, preset: input as (typeof PRESET_NAMES)[number] };
  } else if (input) {
    const parsed = MappingSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new MappingError(`mapping.${issue.path.join(".") || "(root)"}: ${issue.message}`);
    }
    const base = parsed.data.preset ? presetMapping(parsed.data.preset, entity) ?? {} : {};
    mapping = { ...base, ...parsed.data, columns: { ...(base.columns ?? {}), ...(parsed.data.columns ?? {}) } };
  }
  return {
    preset: mapping.preset ?? "standard",
    columns: mapping.columns ?? {},
    constants: mapping.constants ?? {},
    numberFormat: mapping.numberFormat ?? "en",
    dateFormat: mapping.dateFormat ?? "YYYY-MM-DD",
    timeZoneOffset: mapping.timeZoneOffset ?? "Z",
    delimiter: mapping.delimiter,
    encoding: mapping.encoding,
  };
}

export interface ColumnPlan {
  /** Per column of the file: the field it fills, or null (ignored). */
  targets: (FlatField | null)[];
  header: string[];
  ignored: string[];
  constants: { field: FlatField; value: string | number | boolean }[];
}

/** Matches the file's header against the entity's fields; refuses a file that lacks a required field. */
export function planColumns(def: EntityDef, header: string[], mapping: Mapping): ColumnPlan {
  const { fields } = flatFieldsOf(def);
  for (const target of Object.values(mapping.columns)) {
    if (!fields.has(target)) throw new MappingError(`The mapping names "${target}", which is not a field of ${def.name}. Fields: ${[...fields.keys()].join(", ")}.`);
  }
  const seen = new Map<string, string>();
  const ignored: string[] = [];
  const targets = header.map((rawName) => {
    const name = rawName.trim();
    const path = mapping.columns[name] ?? (fields.has(name) ? name : null);
    if (!path) {
      ignored.push(name);
      return null;
    }
    const other = seen.get(path);
    if (other !== undefined) throw new MappingError(`Columns "${other}" and "${name}" both fill ${path}.`);
    seen.set(path, name);
    return fields.get(path)!;
  });
  const constants = Object.entries(mapping.constants).map(([path, value]) => {
    const field = fields.get(path);
    if (!field) throw new MappingError(`The mapping's constant "${path}" is not a field of ${def.name}.`);
    return { field, value };
  });
  const covered = new Set([...seen.keys(), ...constants.map((c) => c.field.path)]);
  const missing = [...fields.values()].filter((f) => f.required && !covered.has(f.path));
  if (missing.length > 0) {
    const inverse = Object.entries(mapping.columns);
    const hint = (path: string) => inverse.find(([, p]) => p === path)?.[0];
    throw new MappingError(
      `The file has no column for ${missing.map((f) => (hint(f.path) ? `${f.path} (expected column "${hint(f.path)}")` : f.path)).join(", ")}. ` +
        `Name the columns like the fields, or map them: {"columns": {"<your column>": "${missing[0].path}"}}.`,
    );
  }
  if (!covered.has("erpVersion") && !covered.has("erpUpdatedAt")) {
    throw new MappingError("The file has no column for erpVersion or erpUpdatedAt: every record needs its version.");
  }
  return { targets, header, ignored, constants };
}
