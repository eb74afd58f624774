/* The leaders' map draws its KPI strip and "why this colour" panel here, from the plain data that the
   server's view functions return (dashboard/leaders/views.py): a month change then carries a few kilobytes
   of figures instead of a tree of components. Text arrives translated; nothing here knows a language. */
(function () {
    function h(type, props, children) {
        const all = Object.assign({}, props || {});
        if (children !== undefined) {
            all.children = children;
        }
        return {type: type, namespace: "dash_html_components", props: all};
    }

    function badge(b) {
        return h("Span", {className: "level-badge level-" + b.level}, b.label);
    }

    function kpis(tiles) {
        return (tiles || []).map(function (tile) {
            return h("Div", {id: "kpi-" + tile.key, className: "kpi-tile" + (tile.tone ? " tone-" + tile.tone : "")}, [
                h("Div", {className: "kpi-label"}, tile.label),
                h("Div", {className: "kpi-value"}, tile.value),
                h("Div", {className: "kpi-detail"}, tile.detail),
            ]);
        });
    }

    function panelHead(panel) {
        if (!panel) {
            return [];
        }
        const labels = panel.labels || {};
        const title = h("Div", {className: "panel-title"}, [
            h("H2", {}, panel.name),
            h("Span", {className: "panel-code"}, panel.level + " · " + panel.code),
        ]);
        if (!panel.scored) {
            return [title, h("P", {className: "panel-empty"}, panel.message)];
        }
        const factors = panel.factors.map(function (f) {
            return h("Li", {}, [
                h("Span", {className: "factor-label"}, f.label),
                h("Span", {className: "factor-bar"}, h("Span", {style: {width: f.share + "%"}})),
                h("Span", {className: "factor-points"}, f.points),
            ]);
        });
        return [
            title,
            h("Div", {className: "panel-summary"}, [
                h("Div", {}, [h("Div", {className: "panel-small"}, labels.score),
                              h("Div", {className: "panel-score"}, panel.score)]),
                h("Div", {className: "panel-now"}, [badge(panel.warning),
                                                     h("Div", {className: "panel-basis"}, panel.basis || ""),
                                                     h("Div", {className: "panel-small"}, panel.facts.join(" · "))]),
                h("Div", {className: "panel-before"}, [
                    h("Div", {}, [h("Span", {}, labels.last_month), badge(panel.last_month)]),
                    h("Div", {}, [h("Span", {}, labels.year_ago), badge(panel.year_ago)]),
                ]),
            ]),
            h("H3", {}, labels.factors),
            h("Ul", {className: "factor-list"}, factors),
        ];
    }

    function panelCases(panel) {
        if (!panel || !panel.scored) {
            return [];
        }
        const labels = panel.labels || {};
        const metrics = [];
        panel.metrics.forEach(function (m) {
            metrics.push(h("Dt", {}, m.label), h("Dd", {}, m.value));
        });
        const parts = [h("H3", {}, labels.metrics), h("Dl", {className: "metrics"}, metrics)];
        if (panel.top_categories.length) {
            parts.push(h("H3", {}, labels.top_categories), h("Div", {className: "category-chips"},
                panel.top_categories.map(function (c) {
                    return h("Span", {className: "category-chip"}, c.label + " " + c.count.toLocaleString());
                })));
        }
        parts.push(h("H3", {}, labels.top_incidents));
        const columns = ["category", "date", "status", "grid"];
        if (panel.incidents.length) {
            parts.push(h("Table", {className: "incident-table"}, [
                h("Thead", {}, h("Tr", {}, columns.map(function (c) { return h("Th", {}, labels.table[c]); }))),
                h("Tbody", {}, [].concat.apply([], panel.incidents.map(function (row) {
                    const rows = [h("Tr", {}, columns.map(function (c) { return h("Td", {}, row[c]); }))];
                    if (row.who || row.said) {  // text only: React renders it inert, whatever it holds
                        rows.push(h("Tr", {className: "incident-detail"}, h("Td", {colSpan: columns.length}, [
                            row.who ? h("Div", {}, labels.table.who + "：" + row.who) : null,
                            row.said ? h("Div", {}, labels.table.said + "：" + row.said) : null,
                        ])));
                    }
                    return rows;
                }))),
            ]));
        } else {
            parts.push(h("P", {className: "panel-empty"}, labels.no_incidents));
        }
        return parts;
    }

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        pinganLeaders: {kpis: kpis, panelHead: panelHead, panelCases: panelCases},
    });
})();
