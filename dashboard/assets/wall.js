/* The command-centre wall's browser side: the clock, the stale banner, the rotation order and the pause
   key. They run here so that they keep going while the server is away, and so that a clock tick never
   becomes a Dash callback (Dash records every input change in its undo history, which would grow for as
   long as the wall runs). Every function does nothing on pages without the wall. */
(function () {
    "use strict";

    const OFF = {stroke: false, fill: false};
    const LAYER_IDS = ["wall-counties", "wall-townships", "wall-grids"];
    const LAYER_OF_PANE = {
        "wall-county": "wall-counties",
        "wall-township": "wall-townships",
        "wall-grid": "wall-grids",
    };
    /* dash-leaflet 1.1.3 ignores a `hideout` that arrives while a GeoJSON layer is still fetching its url,
       and then styles the features with the hideout it was mounted with. So the newest hideout of each
       layer is also kept here (hideouts carry a `stamp`): the style function uses whichever of the two is
       newer, and a newer one restyles the layer at once, whether or not its features have loaded. */
    const newestHideouts = {};
    const geoJsonLayers = [];  // every Leaflet GeoJSON layer made on this page
    const state = {
        paused: null,  // null until the first look at ?pause=
        lastGoodAt: null,  // when the last good answer arrived (ms)
        lastAnswerOk: true,
        firstSeenAt: null,  // when this wall was first seen, the "since" before any good answer
        resizeTimer: null,
        hooked: false,  // whether the Leaflet GeoJSON init hook is in place
    };

    function wallRoot() {
        return document.getElementById("wall");
    }

    function query() {
        return new URLSearchParams(window.location.search);
    }

    function isPaused() {
        if (state.paused === null) {
            state.paused = query().get("pause") === "1";
        }
        return state.paused;
    }

    function pad(value) {
        return String(value).padStart(2, "0");
    }

    function hhmm(time) {
        const date = new Date(time);
        return pad(date.getHours()) + ":" + pad(date.getMinutes());
    }

    function setText(id, value) {
        const element = document.getElementById(id);
        if (element && element.textContent !== value) {
            element.textContent = value;
        }
    }

    function setData(element, name, value) {
        if (element.dataset[name] !== value) {
            element.dataset[name] = value;
        }
    }

    /* Once a second: the clock, the date, the stale banner and the pause badge. */
    function tick() {
        const root = wallRoot();
        if (!root) {
            state.firstSeenAt = null;
            return;
        }
        const now = Date.now();
        if (state.firstSeenAt === null) {
            state.firstSeenAt = now;
        }
        const date = new Date(now);
        const weekdays = (root.dataset.weekdays || "").split(",");
        setText("wall-clock", pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds()));
        setText("wall-date", date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate())
            + " " + (weekdays[date.getDay()] || ""));

        const staleAfter = Number(root.dataset.staleAfterMs) || 60000;
        const since = state.lastGoodAt === null ? state.firstSeenAt : state.lastGoodAt;
        const stale = !state.lastAnswerOk || now - since > staleAfter;
        setData(root, "stale", stale ? "1" : "0");
        const sinceElement = document.getElementById("wall-stale-since");
        if (stale && sinceElement) {
            setText("wall-stale-since", (sinceElement.dataset.template || "{time}").replace("{time}", hhmm(since)));
        }
        setData(root, "paused", isPaused() ? "1" : "0");
    }

    function pinnedView(keys) {
        const wanted = query().get("view");
        return wanted && keys.indexOf(wanted) >= 0 ? wanted : null;
    }

    function currentScreen() {
        return {width: window.innerWidth, height: window.innerHeight};
    }

    document.addEventListener("keydown", function (event) {
        if (!wallRoot() || event.code !== "Space" || event.repeat) {
            return;
        }
        event.preventDefault();
        state.paused = !isPaused();
        tick();
    });

    window.addEventListener("resize", function () {
        clearTimeout(state.resizeTimer);
        state.resizeTimer = setTimeout(function () {
            const clientside = window.dash_clientside;
            if (wallRoot() && clientside && clientside.set_props) {
                clientside.set_props("wall-screen", {data: currentScreen()});
            }
        }, 400);
    });

    /* Remember every Leaflet GeoJSON layer as it is made. dash-leaflet makes them without options and
       sets the pane afterwards, so a wall layer is told by its pane only when it is looked for. */
    function hookLayers() {
        const leaflet = window.L;
        if (state.hooked || !leaflet || !leaflet.GeoJSON) {
            return;
        }
        state.hooked = true;
        leaflet.GeoJSON.addInitHook(function () {
            if (geoJsonLayers.length > 32) {  // a page that makes layers for hours keeps only live ones
                geoJsonLayers.splice(0, geoJsonLayers.length, ...geoJsonLayers.filter((layer) => layer._map));
            }
            geoJsonLayers.push(this);
        });
    }

    function wallLayer(id) {
        return geoJsonLayers.find(function (layer) {
            return layer._map && LAYER_OF_PANE[layer.options && layer.options.pane] === id;
        });
    }

    function restyle(id) {
        const layer = wallLayer(id);
        if (layer) {
            layer.setStyle(function (feature) {
                return window.pinganWall.areaStyle(feature, {id: id, hideout: newestHideouts[id]});
            });
        }
    }

    hookLayers();
    setInterval(function () {
        hookLayers();
        tick();
    }, 1000);

    /* Style of an area layer from its `hideout`: features outside `focus` (a code prefix) take `outside`;
       features with a class take `filled` in the class's colour from `palette`; the rest take `base`. */
    function newestHideout(context) {
        const given = context && context.hideout;
        const known = context && newestHideouts[context.id];
        if (known && (!given || (known.stamp || 0) > (given.stamp || 0))) {
            return known;
        }
        return given || {};
    }

    window.pinganWall = Object.assign({}, window.pinganWall, {
        areaStyle: function (feature, context) {
            const hideout = newestHideout(context);
            const code = String((feature.properties || {}).code || "");
            if (hideout.focus && code.indexOf(hideout.focus) !== 0) {
                return hideout.outside || OFF;
            }
            const key = hideout.classes ? hideout.classes[code] : undefined;
            const colour = key === undefined || !hideout.palette ? undefined : hideout.palette[key];
            if (colour === undefined) {
                return hideout.base || OFF;
            }
            return Object.assign({}, hideout.filled, {fillColor: colour});
        },
        /* A service team's line in the routes view, in the colour the server gave the team. */
        routeStyle: function (feature) {
            const colour = (feature.properties || {}).colour || "#fbbf24";
            return {color: colour, weight: 4, opacity: 0.95, lineCap: "round", lineJoin: "round"};
        },
        state: state,
    });

    // Added to, not replaced: Dash keeps no_update, set_props and the callback context on this object.
    window.dash_clientside = window.dash_clientside || {};
    window.dash_clientside.pinganWall = {
        /* The next view: the pinned one (?view=), the first one at start, the same one while paused. */
        rotate: function (intervals, current, views) {
            const noUpdate = window.dash_clientside.no_update;
            const keys = (views || []).map(function (view) { return view.key; });
            if (!keys.length) {
                return noUpdate;
            }
            const pinned = pinnedView(keys);
            if (pinned) {
                return pinned === current ? noUpdate : pinned;
            }
            const index = keys.indexOf(current);
            if (index < 0) {
                return keys[0];
            }
            if (isPaused() || !intervals) {
                return noUpdate;
            }
            return keys[(index + 1) % keys.length];
        },

        /* Remembers when good data last arrived; the banner itself is drawn by tick(). */
        noteStatus: function (status) {
            if (status) {
                state.lastAnswerOk = Boolean(status.ok);
                if (status.ok) {
                    state.lastGoodAt = Date.now();
                    const root = wallRoot();
                    if (root && root.dataset.degraded === "1") {
                        // Drawn while the store was away, without the map's layers: draw it again whole.
                        window.location.reload();
                    }
                }
                tick();
            }
            return window.dash_clientside.no_update;
        },

        screen: function () {
            return currentScreen();
        },

        /* Arguments: the hideouts of LAYER_IDS, in that order. */
        noteHideouts: function () {
            for (let index = 0; index < LAYER_IDS.length; index += 1) {
                const hideout = arguments[index];
                const known = newestHideouts[LAYER_IDS[index]];
                if (hideout && (!known || (hideout.stamp || 0) > (known.stamp || 0))) {
                    newestHideouts[LAYER_IDS[index]] = hideout;
                    restyle(LAYER_IDS[index]);
                }
            }
            return window.dash_clientside.no_update;
        },
    };
})();
