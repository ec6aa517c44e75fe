// The SQL editor: CodeMirror 6 with Trino keywords, completion of schema,
// table and column names, and error marks at a query's errorLocation.
import { EditorState, Compartment, StateField, StateEffect } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  drawSelection, Decoration, placeholder,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { syntaxHighlighting, HighlightStyle, bracketMatching, indentOnInput } from "@codemirror/language";
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { setDiagnostics, lintGutter } from "@codemirror/lint";
import { sql, SQLDialect, StandardSQL } from "@codemirror/lang-sql";
import { tags as t } from "@lezer/highlight";

// Trino's reserved and common non-reserved words beyond standard SQL.
const TRINO_KEYWORDS =
  "approx_distinct approx_percentile array_agg at bernoulli catalogs columns comment count cross cube current_date " +
  "current_time current_timestamp date_add date_diff date_format date_parse date_trunc day describe distinct " +
  "explain extract filter first following format from_iso8601_timestamp full grouping groups hour if ilike " +
  "interval last lateral localtime localtimestamp map minute month nulls offset ordinality over partition " +
  "partitions preceding range recursive replace rollup row rows schemas second sets show system tables " +
  "tablesample tblproperties timestamp to_char try try_cast unbounded unnest use values views window with " +
  "within year zone regexp_like regexp_extract split_part substr coalesce nullif greatest least round " +
  "sum avg min max stddev variance cardinality element_at contains array_join concat lower upper trim rpad lpad " +
  "length strpos replace cast limit fetch only ties analyze external location stored serde row format";
const TRINO_TYPES =
  "boolean tinyint smallint integer int bigint real double decimal varchar char varbinary json date time " +
  "timestamp interval array map row uuid ipaddress";

export const TrinoDialect = SQLDialect.define({
  ...StandardSQL.spec,
  keywords: StandardSQL.spec.keywords + " " + TRINO_KEYWORDS,
  types: (StandardSQL.spec.types || "") + " " + TRINO_TYPES,
  doubleQuotedStrings: false,
  identifierQuotes: '"',
});

const highlight = HighlightStyle.define([
  { tag: t.keyword, color: "#7c3aed", fontWeight: "600" },
  { tag: [t.typeName, t.standard(t.name)], color: "#0e7490" },
  { tag: [t.string, t.special(t.string)], color: "#b45309" },
  { tag: [t.number, t.bool, t.null], color: "#15803d" },
  { tag: t.comment, color: "#94a3b8", fontStyle: "italic" },
  { tag: [t.operator, t.punctuation], color: "#475569" },
  { tag: t.special(t.name), color: "#be123c" },
]);

const theme = EditorView.theme({
  "&": { height: "100%", fontSize: "13.5px", backgroundColor: "#fff" },
  ".cm-scroller": { fontFamily: "var(--mono)", lineHeight: "1.55" },
  ".cm-content": { padding: "8px 0" },
  ".cm-gutters": { backgroundColor: "#f8fafc", color: "#94a3b8", borderRight: "1px solid #e2e8f0" },
  ".cm-activeLine": { backgroundColor: "#f1f5f966" },
  ".cm-activeLineGutter": { backgroundColor: "#eef2f7", color: "#475569" },
  "&.cm-focused": { outline: "none" },
  ".cm-errorLine": { backgroundColor: "#fef2f2" },
  ".cm-tooltip-autocomplete ul li[aria-selected]": { backgroundColor: "#4f46e5" },
  ".cm-completionDetail": { color: "#64748b", fontStyle: "normal", marginLeft: "1em" },
});

// Line highlight for the error's line; cleared by the next run or an edit.
const setErrorLine = StateEffect.define();
const errorLine = StateField.define({
  create: () => Decoration.none,
  update(deco, tr) {
    for (const e of tr.effects) {
      if (e.is(setErrorLine)) {
        return e.value == null
          ? Decoration.none
          : Decoration.set([Decoration.line({ class: "cm-errorLine" }).range(e.value)]);
      }
    }
    return tr.docChanged ? Decoration.none : deco.map(tr.changes);
  },
  provide: (f) => EditorView.decorations.from(f),
});

export function createEditor(parent, { doc, onRun, onChange }) {
  const language = new Compartment();
  const lang = (schema, defaultSchema) =>
    sql({ dialect: TrinoDialect, upperCaseKeywords: true, schema, defaultSchema });
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        autocompletion({ activateOnTyping: true, icons: true }),
        lintGutter(),
        errorLine,
        placeholder("SELECT * FROM …"),
        keymap.of([
          { key: "Mod-Enter", run: () => (onRun(), true), preventDefault: true },
          { key: "Shift-Enter", run: () => (onRun(), true), preventDefault: true },
          ...closeBracketsKeymap,
          ...defaultKeymap,
          ...searchKeymap,
          ...historyKeymap,
          ...completionKeymap,
          indentWithTab,
        ]),
        language.of(lang({}, "default")),
        syntaxHighlighting(highlight),
        theme,
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChange?.(u.state.doc.toString());
        }),
      ],
    }),
  });

  return {
    view,
    get text() {
      return view.state.doc.toString();
    },
    set text(s) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: s }, selection: { anchor: 0 } });
    },
    // selection returns the selected text and its offset, or null.
    selection() {
      const r = view.state.selection.main;
      if (r.empty) return null;
      return { from: r.from, to: r.to, text: view.state.sliceDoc(r.from, r.to) };
    },
    cursor: () => view.state.selection.main.head,
    focus: () => view.focus(),
    // setSchema feeds table and column names to completion: {schema: {table: [Completion]}}.
    setSchema(schema, defaultSchema) {
      view.dispatch({ effects: language.reconfigure(lang(schema, defaultSchema)) });
    },
    // markError puts the error at (1-based) line:column of the statement that
    // starts at document offset base.
    markError(base, line, column, message) {
      const doc = view.state.doc;
      const first = doc.lineAt(base);
      const ln = Math.min(first.number + line - 1, doc.lines);
      const l = doc.line(ln);
      const startCol = line === 1 ? base - first.from : 0;
      const from = Math.min(l.from + startCol + Math.max(column - 1, 0), l.to);
      let to = from;
      while (to < l.to && /[\w$.]/.test(doc.sliceString(to, to + 1))) to++;
      if (to === from) to = Math.min(from + 1, l.to);
      view.dispatch({
        effects: [setErrorLine.of(l.from), EditorView.scrollIntoView(from, { y: "center" })],
        selection: { anchor: from },
      });
      view.dispatch(setDiagnostics(view.state, [{ from, to, severity: "error", message, source: "quarry" }]));
      view.focus();
      return { line: ln, column: from - l.from + 1 };
    },
    clearError() {
      view.dispatch({ effects: setErrorLine.of(null) });
      view.dispatch(setDiagnostics(view.state, []));
    },
  };
}
