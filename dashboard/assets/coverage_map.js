/* Style, marker and tooltip functions of the coverage page's map. dash-leaflet resolves
   {"variable": "pinganCoverage.<name>"} against window. Each area carries its class colour in
   `properties.fill` and its tooltip text in `properties.tip` (computed on the server); names go into
   tooltips as text, never as HTML. */
window.pinganCoverage = Object.assign({}, window.pinganCoverage, {
    areaStyle: function (feature) {
        return {fillColor: feature.properties.fill, fillOpacity: 0.8, color: "#ffffff", weight: 1};
    },

    bandStyle: function () {
        return {color: "#7a1fa2", weight: 1.5, dashArray: "4 3", fillColor: "#b04fe6", fillOpacity: 0.08};
    },

    bindAreaTooltip: function (feature, layer) {
        const box = document.createElement("div");
        box.textContent = feature.properties.tip || feature.properties.name || "";
        layer.bindTooltip(box, {sticky: true, className: "area-tooltip", direction: "top"});
    },

    siteMarker: function (feature, latlng) {
        return L.circleMarker(latlng, {
            radius: 7, color: "#4a1273", weight: 2, fillColor: "#b04fe6", fillOpacity: 0.95,
            pane: "markerPane"
        });
    },

    bindSiteTooltip: function (feature, layer) {
        const box = document.createElement("div");
        box.textContent = feature.properties.label || "";
        layer.bindTooltip(box, {className: "area-tooltip", direction: "top", offset: [0, -6]});
    }
});
