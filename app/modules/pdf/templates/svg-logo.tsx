import { Circle, G, Line, Path, Polygon, Rect, Svg, Text as SvgText, Tspan } from "@react-pdf/renderer";
import type { ComponentProps, ReactNode } from "react";
import { create } from "xmlbuilder2";
import { FONT_FAMILY } from "../assets.server";

/**
 * The supplier's logo (supplier_settings.logo_svg) drawn as vector graphics. The SVG text is parsed
 * and mapped onto react-pdf's SVG primitives; text in the logo is set in the embedded font
 * (an SVG font-family such as Helvetica would be a standard-14 font: not embedded, not PDF/A).
 * Unsupported elements are skipped; a logo that does not parse is left out, never guessed.
 */

interface XmlNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<XmlNode>;
  attributes?: ArrayLike<{ name: string; value: string }>;
}

const ATTRS: Record<string, string> = {
  "stroke-width": "strokeWidth",
  "font-size": "fontSize",
  "font-weight": "fontWeight",
  "text-anchor": "textAnchor",
  "fill-opacity": "fillOpacity",
  "stroke-opacity": "strokeOpacity",
  "stroke-linecap": "strokeLinecap",
  "stroke-linejoin": "strokeLinejoin",
};
const KEEP = new Set(["x", "y", "width", "height", "rx", "ry", "cx", "cy", "r", "d", "fill", "stroke", "points", "x1", "y1", "x2", "y2", "transform", "opacity"]);

function props(node: XmlNode): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const attr of Array.from(node.attributes ?? [])) {
    const name = ATTRS[attr.name] ?? (KEEP.has(attr.name) ? attr.name : null);
    if (!name) continue;
    out[name] = name === "fontWeight" ? (attr.value === "bold" ? 700 : Number(attr.value) || 400) : attr.value;
  }
  return out;
}

function convert(node: XmlNode, key: number): ReactNode {
  if (node.nodeType !== 1) return null;
  const children = Array.from(node.childNodes).map((child, i) => convert(child, i));
  const p = props(node);
  switch (node.nodeName.replace(/^svg:/, "")) {
    case "g":
      return <G key={key} {...p}>{children}</G>;
    case "rect":
      return <Rect key={key} {...(p as unknown as ComponentProps<typeof Rect>)} />;
    case "path":
      return <Path key={key} {...(p as unknown as ComponentProps<typeof Path>)} />;
    case "circle":
      return <Circle key={key} {...(p as unknown as ComponentProps<typeof Circle>)} />;
    case "line":
      return <Line key={key} {...(p as unknown as ComponentProps<typeof Line>)} />;
    case "polygon":
      return <Polygon key={key} {...(p as unknown as ComponentProps<typeof Polygon>)} />;
    case "text":
      return (
        <SvgText key={key} {...(p as unknown as ComponentProps<typeof SvgText>)} style={{ fontFamily: FONT_FAMILY }}>
          {node.textContent ?? ""}
        </SvgText>
      );
    case "tspan":
      return <Tspan key={key}>{node.textContent ?? ""}</Tspan>;
    default:
      return null;
  }
}

const cache = new Map<string, { viewBox: string; children: ReactNode[] } | null>();

function parseLogo(svg: string) {
  if (cache.has(svg)) return cache.get(svg)!;
  let parsed: { viewBox: string; children: ReactNode[] } | null = null;
  try {
    const root = create(svg).root().node as unknown as XmlNode & { getAttribute(name: string): string | null };
    const viewBox = root.getAttribute("viewBox") ?? `0 0 ${root.getAttribute("width") ?? 100} ${root.getAttribute("height") ?? 40}`;
    parsed = { viewBox, children: Array.from(root.childNodes).map((child, i) => convert(child, i)) };
  } catch {
    parsed = null;
  }
  cache.set(svg, parsed);
  return parsed;
}

export function Logo({ svg, height }: { svg: string | null; height: number }) {
  if (!svg) return null;
  const logo = parseLogo(svg);
  if (!logo) return null;
  const [, , w, h] = logo.viewBox.split(/[\s,]+/).map(Number);
  const width = w && h ? (height * w) / h : height * 4;
  return (
    <Svg viewBox={logo.viewBox} style={{ width, height }}>
      {logo.children}
    </Svg>
  );
}
