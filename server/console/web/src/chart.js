// The chart view: a line or bar chart of a result, with the x column and the
// y columns chosen by the user. Chart.js, with only the parts it needs.
import {
  Chart, LineController, BarController, LineElement, BarElement, PointElement,
  CategoryScale, LinearScale, Tooltip, Legend, Filler,
} from "chart.js";
import { h } from "./util.js";
import { isNumericType } from "./trino.js";

Chart.register(LineController, BarController, LineElement, BarElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend, Filler);
Chart.defaults.font.family = getComputedStyle(document.documentElement).getPropertyValue("--sans") || "system-ui, sans-serif";
Chart.defaults.color = "#475569";

const PALETTE = ["#4f46e5", "#f59e0b", "#0d9488", "#e11d48", "#0284c7", "#7c3aed", "#65a30d", "#db2777"];
const MAX_POINTS = 10000;

export class ChartView {
  constructor({ canvas, typeEl, xEl, yEl, emptyEl }) {
    Object.assign(this, { canvas, typeEl, xEl, yEl, emptyEl });
    this.type = "line";
    this.chart = null;
    this.columns = [];
    this.rows = [];
    typeEl.addEventListener("click", (e) => {
      const b = e.target.closest("button[data-type]");
      if (!b) return;
      this.type = b.dataset.type;
      for (const x of typeEl.querySelectorAll("button")) x.classList.toggle("active", x === b);
      this.draw();
    });
    xEl.addEventListener("change", () => this.draw());
    yEl.addEventListener("change", () => this.draw());
  }

  // set takes a new result and picks the defaults: x is the first
  // non-numeric column (else the first), y the first numeric column after it.
  set(columns, rows) {
    const sameShape =
      this.columns.length === columns.length && this.columns.every((c, i) => c.name === columns[i].name && c.type === columns[i].type);
    this.columns = columns;
    this.rows = rows;
    if (sameShape && this.xEl.options.length) return; // keep the user's choice
    const numeric = columns.map((c) => isNumericType(c.type));
    let x = numeric.indexOf(false);
    if (x < 0) x = 0;
    const y = numeric.findIndex((n, i) => n && i !== x);
    this.xEl.replaceChildren(...columns.map((c, i) => h("option", { value: i, selected: i === x }, c.name)));
    this.yEl.replaceChildren(
      ...columns.flatMap((c, i) =>
        numeric[i] ? [h("label", { class: "check" }, h("input", { type: "checkbox", value: i, checked: i === y }), c.name)] : [],
      ),
    );
  }

  // choose applies a chart spec {type, x, y: [names]} by column names.
  choose({ type, x, y }) {
    if (type) {
      this.type = type;
      for (const b of this.typeEl.querySelectorAll("button")) b.classList.toggle("active", b.dataset.type === type);
    }
    const xi = this.columns.findIndex((c) => c.name === x);
    if (xi >= 0) this.xEl.value = String(xi);
    if (y) for (const cb of this.yEl.querySelectorAll("input")) cb.checked = y.includes(this.columns[Number(cb.value)].name);
  }

  setRows(rows) {
    this.rows = rows;
  }

  get yCols() {
    return [...this.yEl.querySelectorAll("input:checked")].map((i) => Number(i.value));
  }

  draw() {
    const xi = Number(this.xEl.value);
    const ys = this.yCols;
    const hasY = this.yEl.querySelector("input") != null;
    this.emptyEl.classList.toggle("hidden", hasY);
    this.canvas.parentElement.classList.toggle("hidden", !hasY);
    if (this.chart) {
      this.chart.destroy();
      this.chart = null;
    }
    if (!hasY || !this.columns.length) return;
    const rows = this.rows.slice(0, MAX_POINTS);
    const xNumeric = isNumericType(this.columns[xi]?.type) && this.type === "line";
    const num = (v) => (v == null ? null : Number(v));
    const datasets = ys.map((j, k) => {
      const color = PALETTE[k % PALETTE.length];
      return {
        label: this.columns[j].name,
        data: xNumeric ? rows.map((r) => ({ x: num(r[xi]), y: num(r[j]) })) : rows.map((r) => num(r[j])),
        borderColor: color,
        backgroundColor: this.type === "bar" ? color + "cc" : color + "22",
        borderWidth: 2,
        pointRadius: rows.length > 200 ? 0 : 3,
        pointHoverRadius: 5,
        cubicInterpolationMode: "monotone",
        fill: this.type === "line" && ys.length === 1 ? "origin" : false,
        borderRadius: this.type === "bar" ? 3 : 0,
        spanGaps: true,
      };
    });
    this.chart = new Chart(this.canvas, {
      type: this.type,
      data: {
        labels: xNumeric ? undefined : rows.map((r) => (r[xi] == null ? "NULL" : typeof r[xi] === "object" ? JSON.stringify(r[xi]) : String(r[xi]))),
        datasets,
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { display: ys.length > 1, position: "top", align: "end", labels: { boxWidth: 12 } },
          tooltip: { backgroundColor: "#1e293b", padding: 10, cornerRadius: 6 },
        },
        scales: {
          x: {
            type: xNumeric ? "linear" : "category",
            title: { display: true, text: this.columns[xi].name, font: { weight: "600" } },
            grid: { display: false },
          },
          y: {
            title: { display: ys.length === 1, text: ys.length === 1 ? this.columns[ys[0]].name : "", font: { weight: "600" } },
            grid: { color: "#e2e8f0" },
            beginAtZero: this.type === "bar",
          },
        },
      },
    });
  }
}
