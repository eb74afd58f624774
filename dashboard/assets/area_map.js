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

/* The leaders' map. Levels, palette, level names and the selected area travel in `hideout`; the style
   functions run again whenever `hideout` changes, so a new month restyles the features already drawn.

   dash-leaflet (1.1) ignores a `hideout` that arrives while the layer is still fetching its `url`, and
   styles the fetched features with the props it had when the fetch began: a hideout sent during the
   first load left the areas in the "none" colour until the next change. So every hideout Dash gives the
   layer is also handed to `applyHideout` (a clientside callback), kept per component id, preferred by
   the style and tooltip functions, and applied at once to the features already drawn. */
(function () {
    const latestHideout = {};  // component id -> the newest hideout Dash gave the layer (or its last style pass)
    const received = {};  // component id -> true once applyHideout has seen a hideout for it
    const drawn = {};  // component id -> feature layers bound so far (those no longer on a map are dropped)

    function keyOf(context) {
        return (context && context.id) || "default";
    }

    function element(tag, className, text) {
        const node = document.createElement(tag);
        if (className) {
            node.className = className;
        }
        if (text !== undefined) {
            node.textContent = text;
        }
        return node;
    }

    /* The trend chart needs plotly.js (4.8 MB, parsed on the main thread), so the leaders' page mounts it
       only after the areas are on screen: once the first area is bound, and Leaflet's canvas has drawn
       in the next frame, the page's MAP_PAINTED store is set. Only while the chart's slot is empty, so a
       drill-down, which binds new areas, does not mount it again. */
    let paintPending = false;
    function signalPainted() {
        if (paintPending) {
            return;
        }
        paintPending = true;
        requestAnimationFrame(function () {
            requestAnimationFrame(function () {
                paintPending = false;
                const slot = document.getElementById("leaders-trend-slot");
                if (slot && !slot.childElementCount) {
                    window.dash_clientside.set_props("leaders-map-painted", {data: Date.now()});
                }
            });
        });
    }

    function hideoutOf(context) {
        return (context && context.hideout) || {};
    }

    /* The hideout a warning layer's features should show: the newest Dash sent, else the props'. */
    function warningHideout(context) {
        const key = keyOf(context);
        return received[key] ? latestHideout[key] : hideoutOf(context);
    }

    function warningStyleOf(feature, h) {
        const code = String(feature.properties.code);
        const level = (h.levels || {})[code];
        const colours = h.colours || {};
        const on = h.show !== false;
        const selected = h.selected === code;
        return {
            fillColor: on && level ? colours[level] : colours.none,
            fillOpacity: on ? 0.72 : 0.45,
            color: selected ? "#0b1f33" : "#ffffff",
            weight: selected ? 4 : 1.2,
            opacity: 1,
        };
    }

    window.pinganMap = Object.assign({}, window.pinganMap, {
        warningStyle: function (feature, context) {
            const h = warningHideout(context);
            latestHideout[keyOf(context)] = h;
            return warningStyleOf(feature, h);
        },

        /* Clientside callback on the layer's `hideout`: remember it and restyle what is drawn already. */
        applyHideout: function (hideout) {
            const inputs = (window.dash_clientside.callback_context || {}).inputs_list || [];
            const key = (inputs[0] && inputs[0].id) || "default";
            latestHideout[key] = hideout || {};
            received[key] = true;
            drawn[key] = (drawn[key] || []).filter(function (layer) { return !!layer._map; });
            drawn[key].forEach(function (layer) {
                layer.setStyle(warningStyleOf(layer.feature, latestHideout[key]));
            });
            return window.dash_clientside.no_update;
        },

        warningHover: function () {
            return {color: "#0b1f33", weight: 3, fillOpacity: 0.88};
        },

        /* Tooltip: the area's name, the areas above it, and its warning level in the chosen month (read when
           the tooltip opens, so it follows the month). */
        bindWarningTooltip: function (feature, layer, context) {
            const key = keyOf(context);
            latestHideout[key] = latestHideout[key] || hideoutOf(context);
            (drawn[key] = drawn[key] || []).push(layer);
            signalPainted();
            layer.bindTooltip(function () {
                const h = latestHideout[key] || {};
                const code = String(feature.properties.code);
                const level = (h.levels || {})[code];
                const box = element("div");
                box.appendChild(element("strong", "", feature.properties.name));
                if ((h.trail || []).length) {
                    box.appendChild(element("div", "area-tooltip-trail", h.trail.join(" › ")));
                }
                const labels = h.labels || {};
                box.appendChild(element("div", "area-tooltip-level level-" + (level || "none"),
                    labels[level || "none"] || ""));
                return box;
            }, {sticky: true, className: "area-tooltip", direction: "top", offset: [0, -8]});
        },

        detailStyle: function () {
            return {color: "#ffffff", weight: 0.6, opacity: 0.75, fill: false};
        },

        /* The area in view in bold; its siblings greyed, so the eye stays inside. */
        contextStyle: function (feature, context) {
            const selected = hideoutOf(context).selected === String(feature.properties.code);
            return selected
                ? {color: "#0b1f33", weight: 3, opacity: 1, fill: false}
                : {color: "#8a9bb0", weight: 1, opacity: 0.9, fill: true, fillColor: "#dfe5ec", fillOpacity: 0.85};
        },

        heatStyle: function (feature, context) {
            const h = hideoutOf(context);
            const colours = h.colours || ["#ffc75f"];
            const share = h.max > 0 ? Math.sqrt(feature.properties.count / h.max) : 0;
            const colour = colours[Math.min(colours.length - 1, Math.floor(share * colours.length))];
            return {fillColor: colour, fillOpacity: 0.78, color: colour, weight: 0.5, opacity: 0.9};
        },

        incidentMarker: function (feature, latlng, context) {
            const category = feature.properties.c || "other";
            const icon = L.divIcon({className: "incident-dot cat-" + category, iconSize: [12, 12]});
            const marker = L.marker(latlng, {icon: icon, keyboard: false});
            const labels = hideoutOf(context).labels || {};
            // An element, not a string: Leaflet puts a string tooltip in as HTML.
            marker.bindTooltip(element("span", "", labels[category] || category), {direction: "top", offset: [0, -6]});
            return marker;
        },

        placeMarker: function (feature, latlng, context) {
            const h = hideoutOf(context);
            const kind = String(feature.properties.kind || "");
            const size = h.kind === "centre" ? 18 : 10;
            const icon = L.divIcon({className: "place-marker place-" + h.kind + " kind-" + kind, iconSize: [size, size]});
            const marker = L.marker(latlng, {icon: icon, keyboard: false});
            const box = element("div");
            box.appendChild(element("strong", "", feature.properties.name));
            box.appendChild(element("div", "area-tooltip-trail", (h.labels || {})[kind] || kind));
            marker.bindTooltip(box, {direction: "top", offset: [0, -8], className: "area-tooltip"});
            return marker;
        },
    });
})();

window.dash_clientside = Object.assign({}, window.dash_clientside, {
    pinganMap: {applyHideout: window.pinganMap.applyHideout},
});
