// A small dependency-free SVG line chart: latency (ms) against history length (log scale).

const COLORS = ["#2563eb", "#93c5fd", "#dc2626", "#fca5a5", "#059669", "#6ee7b7"];
const esc = (s) => String(s).replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * @param {{ title: string, subtitle: string, series: { name: string, dashed?: boolean,
 *   points: { x: number, y: number }[] }[] }} chart
 */
export function renderLatencyChart(chart) {
  const width = 720;
  const height = 420;
  const pad = { left: 70, right: 200, top: 60, bottom: 60 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const series = chart.series.filter((s) => s.points.length > 0);
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const ys = series.flatMap((s) => s.points.map((p) => p.y));
  const xMin = Math.log10(Math.min(...xs, 100));
  const xMax = Math.log10(Math.max(...xs, 1000));
  const yMax = niceCeil(Math.max(...ys, 1) * 1.1);
  const sx = (x) => pad.left + ((Math.log10(x) - xMin) / (xMax - xMin || 1)) * plotW;
  const sy = (y) => pad.top + plotH - (y / yMax) * plotH;

  const out = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${pad.left}" y="24" font-size="16" font-weight="600">${esc(chart.title)}</text>`,
    `<text x="${pad.left}" y="42" fill="#555">${esc(chart.subtitle)}</text>`,
  );
  for (let i = 0; i <= 5; i++) {
    const y = (yMax / 5) * i;
    out.push(
      `<line x1="${pad.left}" x2="${pad.left + plotW}" y1="${sy(y)}" y2="${sy(y)}" stroke="#e5e7eb"/>`,
      `<text x="${pad.left - 8}" y="${sy(y) + 4}" text-anchor="end" fill="#555">${fmt(y)}</text>`,
    );
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    out.push(
      `<line x1="${sx(x)}" x2="${sx(x)}" y1="${pad.top}" y2="${pad.top + plotH}" stroke="#f3f4f6"/>`,
      `<text x="${sx(x)}" y="${pad.top + plotH + 18}" text-anchor="middle" fill="#555">${x.toLocaleString("en-US")}</text>`,
    );
  }
  out.push(
    `<line x1="${pad.left}" x2="${pad.left + plotW}" y1="${pad.top + plotH}" y2="${pad.top + plotH}" stroke="#111"/>`,
    `<line x1="${pad.left}" x2="${pad.left}" y1="${pad.top}" y2="${pad.top + plotH}" stroke="#111"/>`,
    `<text x="${pad.left + plotW / 2}" y="${height - 16}" text-anchor="middle">messages of history (log scale)</text>`,
    `<text x="18" y="${pad.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 18 ${pad.top + plotH / 2})">latency (ms)</text>`,
  );
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = [...s.points].sort((a, b) => a.x - b.x);
    const d = pts.map((p, j) => `${j ? "L" : "M"}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`);
    out.push(
      `<path d="${d.join(" ")}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`,
    );
    for (const p of pts) {
      out.push(
        `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3.5" fill="${color}"><title>${esc(s.name)}: ${fmt(p.y)} ms at ${p.x}</title></circle>`,
      );
    }
    const ly = pad.top + 10 + i * 20;
    const lx = pad.left + plotW + 16;
    out.push(
      `<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`,
      `<text x="${lx + 30}" y="${ly + 4}">${esc(s.name)}</text>`,
    );
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

function niceCeil(v) {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function fmt(v) {
  return v >= 10 ? String(Math.round(v)) : v.toFixed(1);
}
