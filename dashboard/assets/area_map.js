/* Style and tooltip functions for area maps. dash-leaflet resolves {"variable": "pinganMap.<name>"}
   against window and appends the component's props (with `hideout`) as the last argument, so colours
   and names travel in `hideout` and a change there never resends geometry. */
window.pinganMap = Object.assign({}, window.pinganMap, {
    areaStyle: function (feature, context) {
        return context.hideout.style;
    },

    hoverStyle: function (feature, context) {
        return context.hideout.hover;
    },

    /* Tooltip: the area's name, then its ancestors from the county down. Codes nest (GB/T 2260 plus
       statistical segments), so each ancestor's code is a prefix of the area's code. */
    bindAreaTooltip: function (feature, layer, context) {
        const names = (context.hideout && context.hideout.names) || {};
        const code = String(feature.properties.code || "");
        const trail = [];
        for (let length = 6; length < code.length; length += 1) {
            const name = names[code.slice(0, length)];
            if (name) {
                trail.push(name);
            }
        }
        const box = document.createElement("div");
        const title = document.createElement("strong");
        title.textContent = feature.properties.name;
        box.appendChild(title);
        if (trail.length) {
            const path = document.createElement("div");
            path.className = "area-tooltip-trail";
            path.textContent = trail.join(" › ");
            box.appendChild(path);
        }
        layer.bindTooltip(box, {sticky: true, className: "area-tooltip", direction: "top", offset: [0, -8]});
    }
});
