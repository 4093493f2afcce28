/**
 * The console's one stylesheet: system fonts, text at least 16 px, contrast
 * of 4.5:1 or more everywhere (WCAG 2.2 AA), a focus ring that cannot be
 * missed, and states shown by words and shape, never colour alone.
 */
export const STYLE = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #4a4a4a; --link: #0a4fb5; --bad: #a4161a; --ok: #1b5e20; --line: #767676; }
* { box-sizing: border-box; }
body { margin: 0; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
a { color: var(--link); text-decoration: underline; }
:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 2px; box-shadow: 0 0 0 6px #ffd43b; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem 1rem; }
.skip:focus { left: .5rem; }
header { border-bottom: 2px solid var(--ink); padding: .5rem 1rem; display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; }
header .brand { font-weight: 700; margin: 0; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: 0; padding: 0; }
nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
main { padding: 1rem; max-width: 70rem; }
h1 { font-size: 1.75rem; margin-top: 0; }
h2 { font-size: 1.35rem; margin-top: 2rem; }
label, legend { display: block; font-weight: 600; margin-top: 1rem; }
.hint { color: var(--muted); font-size: .95rem; margin: .15rem 0; }
input[type=text], input[type=email], input[type=password], input[type=number], input[type=datetime-local], input[type=date], input[type=search], select, textarea {
  font: inherit; width: 100%; max-width: 40rem; padding: .5rem; border: 2px solid var(--line); border-radius: 4px; color: var(--ink); background: #fff; }
textarea { min-height: 8rem; }
fieldset { border: 1px solid var(--line); border-radius: 4px; max-width: 40rem; margin-top: 1rem; }
fieldset label { display: inline-flex; gap: .4rem; align-items: center; font-weight: 400; margin: .25rem 1rem .25rem 0; }
button { font: inherit; font-weight: 600; margin-top: 1rem; padding: .55rem 1.1rem; border: 2px solid #0a4fb5; border-radius: 4px; background: #0a4fb5; color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: #0a4fb5; }
button.danger { background: var(--bad); border-color: var(--bad); }
.inline { display: inline; }
[aria-invalid="true"] { border-color: var(--bad) !important; border-width: 3px !important; }
.error { color: var(--bad); font-weight: 600; }
.error::before { content: "⚠ "; }
.summary { border: 3px solid var(--bad); padding: .5rem 1rem; margin: 1rem 0; }
.notice { border: 3px solid var(--ok); padding: .5rem 1rem; margin: 1rem 0; }
.warning { border: 3px dashed #7a4d00; padding: .5rem 1rem; margin: 1rem 0; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid var(--line); padding: .4rem .6rem; text-align: left; vertical-align: top; }
th { background: #f1f1f1; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.facts dt { font-weight: 600; }
.message { white-space: pre-wrap; border-left: 4px solid var(--line); padding-left: .75rem; margin: .5rem 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 1rem; padding: 0; list-style: none; }
.cards li { border: 1px solid var(--line); border-radius: 4px; padding: .75rem; }
.cards .number { font-size: 1.75rem; font-weight: 700; display: block; }
`;
