import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/", "public/build/", "public/replica/", "node_modules/", ".data/", "test-results/", "playwright-report/", "e2e/.artifacts/", "bench/results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // Portal forms that write go through WriteForm, which disables them while staff view the portal
    // as a contact (decision 038); a bare POST form would let staff fill it in and meet a 403 page.
    files: ["app/routes/_portal*.tsx", "app/components/**/*.tsx", "app/modules/**/components/**/*.tsx"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "JSXOpeningElement[name.name=/^[Ff]orm$/]:has(JSXAttribute[name.name='method'][value.value=/^post$/i])",
          message: "Use WriteForm (app/components/form.tsx) for a portal form that writes: it is disabled while staff view as a contact.",
        },
      ],
    },
  },
);
