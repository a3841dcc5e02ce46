// ESLint: JavaScript's and typescript-eslint's recommended rules, the type-checked ones included,
// over everything tsconfig.json type-checks plus the build scripts. Formatting is Prettier's:
// eslint-config-prettier turns off the rules that would fight it, and `npm run lint` runs both.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import { defineConfig } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  {
    // native/ is C and its build script; test/fixtures/models are model files of users, some broken on purpose.
    ignores: ["dist/", "native/", "**/*.d.ts", "test/fixtures/models/", ".archlab/", ".cache/", "test-results/"],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["*.mjs", "bin/*.js"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    rules: {
      // Sync implementations of Promise-returning interfaces (BatchTrainer, TrialRunHooks, VS Code's
      // serializer) are async so that a throw still arrives as a rejection.
      "@typescript-eslint/require-await": "off",
      // A getter declared before a single later assignment reads the variable: const would put it in its dead zone.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ["*.mjs", "bin/*.js"],
    languageOptions: { globals: globals.node },
  },
  {
    files: ["bin/*.js"],
    // The npm bin is a CommonJS script that loads the bundle.
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["test/**/*.ts"],
    rules: {
      // node:test's test() and describe() return promises that the runner itself awaits.
      "@typescript-eslint/no-floating-promises": [
        "error",
        {
          allowForKnownSafeCalls: [
            { from: "package", package: "node:test", name: ["test", "describe", "it", "suite"] },
          ],
        },
      ],
    },
  },
  prettier,
);
