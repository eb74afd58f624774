/* Style functions of the planners' workbench map. dash-leaflet resolves {"variable": "pinganPlanner.<name>"}
   against window. Colours per grid code, the selected codes and the changed codes travel in `hideout`,
   so a new selection restyles the grids already drawn. */
window.pinganPlanner = Object.assign({}, window.pinganPlanner, {
    gridStyle: function (feature, context) {
        const hideout = context.hideout || {};
        const code = String(feature.properties.code);
        const selected = (hideout.selected || []).indexOf(code) >= 0;
        const changed = (hideout.changed || []).indexOf(code) >= 0;
        return {
            fillColor: (hideout.colours || {})[code] || "#d5dbe3",
            fillOpacity: 0.55,
            color: selected ? "#0b3d91" : (changed ? "#7a1fa2" : "#ffffff"),
            weight: selected ? 4 : (changed ? 2.5 : 1.2),
            dashArray: changed && !selected ? "5 3" : null
        };
    },

    problemStyle: function (feature) {
        const blocking = feature.properties.blocking;
        return {color: blocking ? "#e8141c" : "#f08c00", weight: 5, opacity: 0.95,
                fillColor: "#e8141c", fillOpacity: 0.25};
    },

    diffStyle: function () {
        return {color: "#e8590c", weight: 3, dashArray: "6 4", fill: false};
    },

    bindGridTooltip: function (feature, layer) {
        const box = document.createElement("div");
        box.textContent = feature.properties.code + " " + (feature.properties.name || "");
        layer.bindTooltip(box, {sticky: true, className: "area-tooltip", direction: "top"});
    },

    bindProblemTooltip: function (feature, layer) {
        const box = document.createElement("div");
        box.textContent = feature.properties.code + ": " + feature.properties.detail;
        layer.bindTooltip(box, {sticky: true, className: "area-tooltip"});
    }
});
