"""The report's CSS, inlined in the page (the CSP allows inline styles and nothing else)."""

CSS = """
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6472; --line: #d9dee5;
  --views: #1f6fb2; --comments: #c0552b; --bad: #a12a2a; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem; color: var(--ink);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background: #fbfbfa; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; border-bottom: 1px solid var(--line); }
p.meta, .muted { color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; margin: .5rem 0; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px;
  padding: .5rem .9rem; min-width: 8rem; }
.card b { display: block; font-size: 1.4rem; }
.card.bad b { color: var(--bad); }
.columns { display: flex; flex-wrap: wrap; gap: 2rem; align-items: flex-start; }
.scroll { max-height: 26rem; overflow-y: auto; }
table { border-collapse: collapse; background: #fff; margin: .4rem 0; }
th, td { border: 1px solid var(--line); padding: .3rem .55rem; text-align: left;
  vertical-align: top; }
th { background: #f0f2f5; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.articles { width: 100%; }
table.articles td.title { max-width: 30rem; overflow-wrap: anywhere; }
.bar { display: inline-block; height: .7rem; background: var(--views); border-radius: 2px;
  vertical-align: middle; margin-left: .4rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(370px, 1fr));
  gap: 1rem; }
figure.article-chart { margin: 0; background: #fff; border: 1px solid var(--line);
  border-radius: 6px; padding: .5rem; }
figure.article-chart figcaption { font-size: .85rem; margin-bottom: .3rem;
  overflow-wrap: anywhere; }
svg.chart { display: block; }
svg.chart .axis { stroke: var(--line); stroke-width: 1; }
svg.chart text { font-size: 10px; fill: var(--muted); }
svg.chart .label { font-weight: 600; }
svg.chart .label-views { fill: var(--views); }
svg.chart .label-comments { fill: var(--comments); }
svg.chart .line { fill: none; stroke-width: 1.6; }
svg.chart .line-views { stroke: var(--views); }
svg.chart .line-comments { stroke: var(--comments); }
svg.chart .pt-views { fill: var(--views); }
svg.chart .pt-comments { fill: var(--comments); }
a { color: var(--views); }
a.to-chart { font-size: .8rem; color: var(--muted); }
"""
