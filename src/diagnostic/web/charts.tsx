/**
 * Charts as SVG drawn on the server: no JavaScript, crisp in print and PDF. Each is an image with a
 * title and description, and the page gives the same figures as a table beside it.
 */
export interface Series {
  label: string;
  className: string;
  values: (number | null)[];
}

const fmt = (n: number) => n.toFixed(1);

export function RadarChart({ axes, series, max, title }: { axes: string[]; series: Series[]; max: number; title: string }) {
  const size = 420;
  const c = size / 2;
  const r = c - 90;
  const point = (i: number, v: number) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / axes.length;
    return [c + Math.cos(angle) * r * (v / max), c + Math.sin(angle) * r * (v / max)] as const;
  };
  const ring = (v: number) => axes.map((_, i) => point(i, v).map(fmt).join(',')).join(' ');
  return (
    <svg class="app-chart app-chart--radar" viewBox={`0 0 ${size} ${size}`} role="img" aria-labelledby="radar-title">
      <title id="radar-title">{title}</title>
      {Array.from({ length: max }, (_, k) => (
        <polygon class="app-chart__grid" points={ring(k + 1)} />
      ))}
      {axes.map((name, i) => {
        const [x, y] = point(i, max + 0.35);
        const [x2, y2] = point(i, max);
        return (
          <g>
            <line class="app-chart__axis" x1={c} y1={c} x2={fmt(x2)} y2={fmt(y2)} />
            <text class="app-chart__label" x={fmt(x)} y={fmt(y)} text-anchor={Math.abs(x - c) < 5 ? 'middle' : x > c ? 'start' : 'end'} dominant-baseline="middle">
              {name}
            </text>
          </g>
        );
      })}
      {series.map((s) =>
        s.values.every((v) => v !== null) ? <polygon class={`app-chart__series ${s.className}`} points={s.values.map((v, i) => point(i, v!).map(fmt).join(',')).join(' ')} /> : null,
      )}
    </svg>
  );
}

export function BarChart({ rows, series, max, title }: { rows: string[]; series: Series[]; max: number; title: string }) {
  const labelWidth = 150;
  const barHeight = 12;
  const rowHeight = series.length * (barHeight + 3) + 14;
  const width = 560;
  const plot = width - labelWidth - 40;
  return (
    <svg class="app-chart app-chart--bars" viewBox={`0 0 ${width} ${rows.length * rowHeight + 24}`} role="img" aria-labelledby="bars-title">
      <title id="bars-title">{title}</title>
      {Array.from({ length: max + 1 }, (_, k) => (
        <g>
          <line class="app-chart__grid" x1={labelWidth + (plot * k) / max} x2={labelWidth + (plot * k) / max} y1={0} y2={rows.length * rowHeight} />
          <text class="app-chart__tick" x={labelWidth + (plot * k) / max} y={rows.length * rowHeight + 16} text-anchor="middle">
            {k}
          </text>
        </g>
      ))}
      {rows.map((row, i) => (
        <g transform={`translate(0 ${i * rowHeight + 6})`}>
          <text class="app-chart__label" x={labelWidth - 8} y={(series.length * (barHeight + 3)) / 2} text-anchor="end" dominant-baseline="middle">
            {row}
          </text>
          {series.map((s, k) => {
            const v = s.values[i];
            return v === null || v === undefined ? null : <rect class={`app-chart__bar ${s.className}`} x={labelWidth} y={k * (barHeight + 3)} width={fmt((plot * v) / max)} height={barHeight} />;
          })}
        </g>
      ))}
    </svg>
  );
}
