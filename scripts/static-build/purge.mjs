// Keep only the Bootstrap CSS that Aluna's templates, scripts and Python use.
//   node scripts/static-build/purge.mjs OUT_DIR
// Reproducible: the same inputs and the pinned purgecss give the same bytes.
import { PurgeCSS } from "purgecss";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..", "..");
const out = resolve(process.argv[2] || join(root, "static", "build"));

// Where class names are written: templates, our scripts, and Python (forms set
// widget classes, views and selectors pass CSS classes to templates).
const content = [
  "templates/**/*.html",
  "*/templates/**/*.html",
  "aluna/*/templates/**/*.html",
  "static/js/**/*.js",
  "*/static/**/*.js",
  "*/**/*.py",
  "static/vendor/bootstrap/js/bootstrap.bundle.min.js",
  "static/vendor/htmx/htmx.min.js",
].map((pattern) => join(root, pattern));

// Classes built at run time that no file spells out whole: Bootstrap's JS states,
// htmx's request classes, and families our templates compose from a variable
// (text-bg-{{ level }}, btn-outline-{{ style }}, alert-{{ message.tags }}...).
const safelist = {
  standard: [
    "show", "showing", "hiding", "hide", "fade", "collapse", "collapsing", "collapse-horizontal",
    "active", "disabled", "dropdown-menu-end", "dropdown-menu-start", "was-validated",
    "is-invalid", "is-valid", "visually-hidden", "visually-hidden-focusable",
  ],
  deep: [],
  greedy: [
    /^htmx-/, /^text-bg-/, /^btn-/, /^alert-/, /^bg-/, /^text-/, /^border-/, /^badge/,
    /^progress/, /^toast/, /^modal/, /^tooltip/, /^popover/, /^bs-/, /^table-/, /^link-/,
    /^dropdown/, /^navbar/, /^offcanvas/, /^spinner/, /^placeholder/,
  ],
};

const [result] = await new PurgeCSS().purge({
  content,
  css: [join(root, "static", "vendor", "bootstrap", "css", "bootstrap.min.css")],
  safelist,
  variables: false,
  keyframes: true,
  fontFace: true,
});
mkdirSync(out, { recursive: true });
const banner = "/* Bootstrap v5 (MIT, static/vendor/bootstrap/LICENSE), purged by scripts/build_static. */\n";
writeFileSync(join(out, "bootstrap.css"), banner + result.css.replace(/\/\*# sourceMappingURL=.*?\*\//g, ""));
console.log(`bootstrap.css: ${readFileSync(join(out, "bootstrap.css")).length} bytes`);
