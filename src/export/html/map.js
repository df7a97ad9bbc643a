/* mentionmap map page.
 *
 * Draws the story embedded in this page on a canvas in Web Mercator: the basemap, places as circles
 * sized by mentions and coloured by kind, events as diamonds, tracks as lines with arrows (planned legs
 * dashed). A time slider shows the story up to a day; the lists beside the map show the same story as
 * text, with the sentences every dot comes from.
 *
 * Every string in the story comes from articles or from a hand-edited story.json, so none of it is ever
 * parsed as markup: it reaches the page through textContent, text nodes and canvas text only.
 */
(function () {
  'use strict';

  const story = readJson('story');
  const basemap = readJson('basemap');
  const mapStyle = readJson('map-style');
  const colours = mapStyle.colours;

  const DAY_MS = 86400000;
  const MAX_LAT = 85.05113;
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const ACTIONS = {
    depart: 'Departure', arrive: 'Arrival', port_call: 'Port call', transit: 'Transit',
    exercise: 'Exercise', patrol: 'Patrol', meeting: 'Meeting', other: 'Event'
  };
  const LABEL_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, "Liberation Sans", sans-serif';
  const COUNTRY_FONT = '600 11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, "Liberation Sans", sans-serif';
  const WATER_FONT = 'italic 12px Georgia, "Times New Roman", "Liberation Serif", serif';
  const OCEAN_FONT = 'italic 15px Georgia, "Times New Roman", "Liberation Serif", serif';
  const ARROW_SPACING = 140;
  /* Above this many marks a frame is heavy: pans and zooms move a picture of the last frame. */
  const HEAVY_MARKS = 1500;
  /* A full frame follows this many milliseconds after a pan or zoom stops. */
  const SETTLE_MS = 150;
  /* Above this many legs in view, tracks are drawn as hairlines. */
  const DENSE_LEGS = 300;
  /* Circles shrink when the view holds more than one place per this many square pixels... */
  const PIXELS_PER_PLACE = 900;
  /* ...but never below this share of their size. */
  const MIN_MARKER_SCALE = 0.4;
  const MAX_LABELS_TRIED = 400;
  /* At most one label per this many square pixels of map: a map of names is unreadable. */
  const PIXELS_PER_LABEL = 6000;

  function readJson(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }
  function $(id) {
    return document.getElementById(id);
  }
  /* An element whose text, if any, is set as text. */
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function svgEl(tag, attrs) {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const name of Object.keys(attrs)) node.setAttribute(name, String(attrs[name]));
    return node;
  }
  function clamp(v, lo, hi) {
    return Math.max(lo, Math.min(hi, v));
  }
  function plural(n, word) {
    const count = Number(n) || 0;
    return count.toLocaleString('en-GB') + ' ' + word + (count === 1 ? '' : 's');
  }
  /* Smallest and largest of a list, however long (spreading a long list into Math.min can overflow). */
  function least(values) {
    return values.reduce(function (a, b) { return b < a ? b : a; }, Infinity);
  }
  function most(values) {
    return values.reduce(function (a, b) { return b > a ? b : a; }, -Infinity);
  }
  function text(value) {
    return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  }

  /* ---- Projection: Web Mercator in world units, the whole world being the square [0,1] x [0,1]. ---- */

  function mercX(lon) {
    return (lon + 180) / 360;
  }
  function mercY(lat) {
    const phi = clamp(lat, -MAX_LAT, MAX_LAT) * Math.PI / 180;
    return (1 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / Math.PI) / 2;
  }
  function latOfY(y) {
    return Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180 / Math.PI;
  }
  /* Shift a longitude by whole turns so that a line from `previous` takes the short way round. */
  function unwrap(lon, previous) {
    if (previous === null) return lon;
    // whole turns counted, not stepped through: a hand-edited story can hold a longitude of 1e16
    const gap = lon - previous;
    if (gap > 180) lon -= Math.ceil((gap - 180) / 360) * 360;
    else if (gap < -180) lon += Math.ceil((-180 - gap) / 360) * 360;
    return lon;
  }

  /* ---- Days: whole days since 1970-01-01 UTC, so the slider counts days. ---- */

  function dayOf(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text(iso));
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) / DAY_MS : null;
  }
  function dayParts(day) {
    const d = new Date(day * DAY_MS);
    return { day: d.getUTCDate(), month: MONTHS[d.getUTCMonth()], year: d.getUTCFullYear(), weekday: WEEKDAYS[d.getUTCDay()] };
  }
  function dayLabel(day) {
    const p = dayParts(day);
    return p.day + ' ' + p.month + ' ' + p.year;
  }
  function rangeLabel(start, end) {
    if (start === null) return 'Undated';
    if (end === null || end === start) return dayLabel(start);
    const a = dayParts(start);
    const b = dayParts(end);
    if (a.year !== b.year) return dayLabel(start) + ' – ' + dayLabel(end);
    if (a.month !== b.month) return a.day + ' ' + a.month + ' – ' + dayLabel(end);
    return a.day + '–' + dayLabel(end);
  }
  function isoOf(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  /* ---- The story, indexed for drawing. ---- */

  const documents = new Map();
  for (const d of story.documents) documents.set(d.id, d);

  const groupOfKind = new Map();
  mapStyle.groups.forEach(function (g, i) {
    for (const k of g.kinds) groupOfKind.set(k, i);
  });
  const maxMentions = story.places.reduce(function (m, p) { return Math.max(m, p.mentions || 0); }, 1);
  const size = mapStyle.markerSize;
  const perSqrt = Math.min(size.perSqrtMention, (size.max - size.min) / Math.sqrt(maxMentions));
  function radius(mentions) {
    return size.min + perSqrt * Math.sqrt(Math.max(0, mentions || 0));
  }
  function isWater(group) {
    return mapStyle.groups[group] && mapStyle.groups[group].kinds.indexOf('sea') >= 0;
  }

  const places = story.places.map(function (p, index) {
    const group = groupOfKind.has(p.kind) ? groupOfKind.get(p.kind) : mapStyle.groups.length - 1;
    return {
      type: 'place', data: p, index: index, x: mercX(p.lon), y: mercY(p.lat), r: radius(p.mentions),
      group: group, colour: mapStyle.groups[group].colour, water: isWater(group), mentions: [], events: [],
      labelWidth: null
    };
  });
  const placeById = new Map();
  for (const p of places) if (!placeById.has(p.data.id)) placeById.set(p.data.id, p);
  for (const m of story.mentions) {
    const p = m.place ? placeById.get(m.place) : undefined;
    if (p) p.mentions.push(m);
  }
  /* Big circles first, so that small ones stay visible on top; circles are drawn in batches of one
     colour and one whole-pixel size step. */
  for (const p of places) p.step = Math.round(p.r);
  const placeOrder = places.slice().sort(function (a, b) {
    return b.step - a.step || a.group - b.group || b.r - a.r || a.index - b.index;
  });

  const events = story.events.map(function (e, index) {
    const start = dayOf(e.start);
    const end = dayOf(e.end);
    const place = e.places && e.places.length ? placeById.get(e.places[0]) || null : null;
    return { type: 'event', data: e, index: index, start: start, end: end === null ? start : end, place: place, slot: 0, item: null };
  });
  for (const ev of events) {
    if (!ev.place) continue;
    ev.slot = ev.place.events.length;
    ev.place.events.push(ev);
  }
  const timelineOrder = events.slice().sort(function (a, b) {
    const sa = a.start === null ? Infinity : a.start;
    const sb = b.start === null ? Infinity : b.start;
    return sa - sb || (a.end === null ? Infinity : a.end) - (b.end === null ? Infinity : b.end) || a.index - b.index;
  });
  const eventById = new Map();
  for (const ev of events) eventById.set(ev.data.id, ev);

  const tracks = story.tracks.map(buildTrack);

  function buildTrack(t, index) {
    let previous = null;
    const waypoints = t.waypoints.map(function (w) {
      const lon = unwrap(w.lon, previous);
      previous = lon;
      return { data: w, lon: lon, x: mercX(lon), y: mercY(w.lat), start: dayOf(w.start), end: dayOf(w.end) };
    });
    const legs = [];
    for (const leg of t.legs) {
      const from = waypoints[leg.from];
      const to = waypoints[leg.to];
      let coordinates = leg.coordinates || [];
      if (coordinates.length < 2 && from && to) coordinates = [[from.data.lon, from.data.lat], [to.data.lon, to.data.lat]];
      if (coordinates.length < 2) continue;
      let last = from ? from.lon : null;
      const xs = [];
      const ys = [];
      for (const c of coordinates) {
        last = unwrap(c[0], last);
        xs.push(mercX(last));
        ys.push(mercY(c[1]));
      }
      const lengths = [0];
      for (let i = 1; i < xs.length; i++) lengths.push(lengths[i - 1] + Math.hypot(xs[i] - xs[i - 1], ys[i] - ys[i - 1]));
      legs.push({
        data: leg, xs: xs, ys: ys, lengths: lengths,
        departs: from ? (from.end !== null ? from.end : from.start) : null,
        arrives: to ? (to.start !== null ? to.start : to.end) : null,
        minX: least(xs), maxX: most(xs), minY: least(ys), maxY: most(ys),
        shown: 0
      });
    }
    return { type: 'track', data: t, index: index, waypoints: waypoints, legs: legs };
  }

  /* The share of a leg sailed by the end of `day`: nothing before departure, all of it from arrival on,
     in proportion between. Undated ends cannot be placed in time, so they never hide a leg. */
  function legShare(leg, day) {
    if (day === null) return 1;
    if (leg.arrives !== null && day >= leg.arrives) return 1;
    if (leg.departs !== null && day < leg.departs) return 0;
    if (leg.departs !== null && leg.arrives !== null) return (day - leg.departs + 1) / (leg.arrives - leg.departs + 1);
    return leg.arrives !== null ? 0 : 1;
  }
  function hasHappened(start, day) {
    return day === null || start === null || start <= day;
  }

  const days = [];
  for (const ev of events) days.push(ev.start, ev.end);
  for (const t of tracks) for (const w of t.waypoints) days.push(w.start, w.end);
  const datedDays = days.filter(function (d) { return d !== null; });
  const firstDay = datedDays.length ? least(datedDays) : null;
  const lastDay = datedDays.length ? most(datedDays) : null;

  /* ---- Basemap, as paths in world units drawn under a scaling transform. ---- */

  const mentionedCountries = new Set();
  for (const p of places) {
    if (p.data.kind !== 'country') continue;
    const code = p.data.country || text(p.data.id).replace(/^country:/, '');
    mentionedCountries.add(code);
  }
  const land = new Path2D();
  const borders = new Path2D();
  const tinted = new Path2D();
  for (const f of basemap.features) {
    const rings = ringsOf(f.geometry);
    const props = f.properties || {};
    if (props.layer === 'land') {
      for (const ring of rings) addRing(land, ring);
    } else {
      for (const ring of rings) addRing(borders, ring);
      if (props.iso2 && mentionedCountries.has(props.iso2)) for (const ring of rings) addRing(tinted, ring);
    }
  }
  function ringsOf(geometry) {
    if (!geometry) return [];
    if (geometry.type === 'Polygon') return geometry.coordinates;
    if (geometry.type === 'MultiPolygon') return [].concat.apply([], geometry.coordinates);
    return [];
  }
  function addRing(path, ring) {
    ring.forEach(function (c, i) {
      if (i === 0) path.moveTo(mercX(c[0]), mercY(c[1]));
      else path.lineTo(mercX(c[0]), mercY(c[1]));
    });
    path.closePath();
  }
  const storyNames = new Set(places.map(function (p) { return p.data.name; }));
  const oceans = mapStyle.oceans
    .filter(function (o) { return !storyNames.has(o.name); })
    .map(function (o) { return { name: o.name, x: mercX(o.lon), y: mercY(o.lat) }; });

  /* ---- View: screen = world * k + (x, y), in CSS pixels. ---- */

  const canvas = $('canvas');
  const base = canvas.getContext('2d');
  /* The story's marks, drawn apart from the basemap (see requestRender). */
  const layer = document.createElement('canvas');
  const ctx = layer.getContext('2d');
  const frameState = { queued: false, moving: false, heavy: false, drawnAt: null, settle: null };
  const view = { k: 512, x: 0, y: 0, w: 1, h: 1 };
  const state = { day: lastDay, selected: null, playing: null, markerScale: 1 };
  const stats = { places: 0, tracks: 0, legs: 0, events: [], frameMs: 0, readyMs: 0 };

  function sx(x) { return x * view.k + view.x; }
  function sy(y) { return y * view.k + view.y; }
  function minZoom() { return Math.min(view.w, view.h) / 1.6; }
  function maxZoom() { return 512 * Math.pow(2, 16); }

  function resize() {
    const w = Math.max(1, canvas.clientWidth);
    const h = Math.max(1, canvas.clientHeight);
    const dpr = window.devicePixelRatio || 1;
    view.x += (w - view.w) / 2;
    view.y += (h - view.h) / 2;
    view.w = w;
    view.h = h;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }

  /* A box in world units that grows to include points. */
  function bounds() {
    const b = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
    b.include = function (x, y) {
      b.minX = Math.min(b.minX, x); b.maxX = Math.max(b.maxX, x);
      b.minY = Math.min(b.minY, y); b.maxY = Math.max(b.maxY, y);
    };
    return b;
  }
  function includeTracksAndEvents(b) {
    for (const t of tracks) for (const l of t.legs) { b.include(l.minX, l.minY); b.include(l.maxX, l.maxY); }
    for (const ev of events) if (ev.place) b.include(ev.place.x, ev.place.y);
    return b;
  }
  /* Everything: every place and track. */
  function allBounds() {
    const b = bounds();
    for (const p of places) b.include(p.x, p.y);
    return includeTracksAndEvents(b);
  }
  /* Where the story happens: every track and event, and the places nearest the weighted middle of the
     mentions until they hold mapStyle.focusShare of all mentions. A few far-off places (a capital quoted
     once, a name resolved elsewhere) then do not shrink the story to a corner of a world map. */
  function focusBounds() {
    const weighted = places.filter(function (p) { return p.data.mentions > 0; });
    const total = weighted.reduce(function (n, p) { return n + p.data.mentions; }, 0);
    if (!total) return allBounds();
    const mx = weightedMedian(weighted.map(function (p) { return [p.x, p.data.mentions]; }));
    const my = weightedMedian(weighted.map(function (p) { return [p.y, p.data.mentions]; }));
    const byDistance = weighted.slice().sort(function (a, b) {
      return Math.hypot(a.x - mx, a.y - my) - Math.hypot(b.x - mx, b.y - my) || a.index - b.index;
    });
    const b = bounds();
    let covered = 0;
    for (const p of byDistance) {
      if (covered >= mapStyle.focusShare * total) break;
      b.include(p.x, p.y);
      covered += p.data.mentions;
    }
    return includeTracksAndEvents(b);
  }
  function weightedMedian(pairs) {
    pairs.sort(function (a, b) { return a[0] - b[0]; });
    const half = pairs.reduce(function (n, p) { return n + p[1]; }, 0) / 2;
    let acc = 0;
    for (const [value, weight] of pairs) {
      acc += weight;
      if (acc >= half) return value;
    }
    return pairs.length ? pairs[pairs.length - 1][0] : 0.5;
  }

  /* Fit the view to a box, with room for the controls; a single place gets a regional view. */
  function fitTo(b) {
    let minX = b.minX, minY = b.minY, maxX = b.maxX, maxY = b.maxY;
    if (minX === Infinity) { minX = 0; maxX = 1; minY = 0.2; maxY = 0.8; }
    const span = 8 / 360;
    const cx = (minX + maxX) / 2;
    const cy = (minY + maxY) / 2;
    const bw = Math.max(maxX - minX, span);
    const bh = Math.max(maxY - minY, span);
    /* Keep data out from under the legend, unless the map is too narrow to spare it the room. */
    const legendWidth = $('legend').offsetWidth;
    const left = legendWidth && view.w >= 3 * legendWidth ? legendWidth + 36 : 64;
    const pad = { left: left, right: 40, top: 52, bottom: 36 };
    const k = clamp(Math.min((view.w - pad.left - pad.right) / bw, (view.h - pad.top - pad.bottom) / bh), minZoom(), maxZoom());
    view.k = k;
    view.x = pad.left + (view.w - pad.left - pad.right) / 2 - cx * k;
    view.y = pad.top + (view.h - pad.top - pad.bottom) / 2 - cy * k;
  }

  function zoomAt(px, py, factor) {
    const k = clamp(view.k * factor, minZoom(), maxZoom());
    const f = k / view.k;
    view.x = px - (px - view.x) * f;
    view.y = py - (py - view.y) * f;
    view.k = k;
    requestRender(true);
  }
  function panBy(dx, dy) {
    view.x += dx;
    view.y += dy;
    requestRender(true);
  }
  function centreOn(x, y) {
    view.x = view.w / 2 - x * view.k;
    view.y = view.h / 2 - y * view.k;
  }
  function onScreen(x, y, margin) {
    return x >= -margin && y >= -margin && x <= view.w + margin && y <= view.h + margin;
  }

  /* Frames: a full frame draws the basemap on the visible canvas and the story's marks on a layer of
     their own, then lays that layer over the basemap. When a full frame is heavy (many thousands of
     marks), frames in the middle of a pan or zoom redraw only the basemap and move the last story layer
     as a picture; the full frame follows once the gesture pauses. */
  function requestRender(moving) {
    if (moving) frameState.moving = true;
    if (frameState.queued) return;
    frameState.queued = true;
    requestAnimationFrame(function () {
      frameState.queued = false;
      const quick = frameState.moving && frameState.heavy && frameState.drawnAt !== null;
      frameState.moving = false;
      if (!quick) {
        render();
        return;
      }
      renderMoving();
      clearTimeout(frameState.settle);
      frameState.settle = setTimeout(function () { requestRender(false); }, SETTLE_MS);
    });
  }

  function render() {
    const started = performance.now();
    clearTimeout(frameState.settle);
    const dpr = canvas.width / view.w;
    drawBasemap(dpr);
    if (layer.width !== canvas.width || layer.height !== canvas.height) {
      layer.width = canvas.width;
      layer.height = canvas.height;
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, layer.width, layer.height);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawTracks();
    drawPlaces();
    drawEvents();
    drawLabels();
    base.setTransform(1, 0, 0, 1, 0, 0);
    base.drawImage(layer, 0, 0);
    frameState.drawnAt = { k: view.k, x: view.x, y: view.y };
    frameState.heavy = stats.places + stats.events.length + 4 * stats.legs > HEAVY_MARKS;
    stats.frameMs = performance.now() - started;
    showOutside(places.length - stats.places);
  }

  /* The basemap as it is now, and the last story layer moved and scaled to where it belongs now. */
  function renderMoving() {
    const dpr = canvas.width / view.w;
    drawBasemap(dpr);
    const at = frameState.drawnAt;
    const f = view.k / at.k;
    base.setTransform(1, 0, 0, 1, 0, 0);
    base.drawImage(layer, dpr * (view.x - at.x * f), dpr * (view.y - at.y * f), layer.width * f, layer.height * f);
  }

  function drawBasemap(dpr) {
    base.setTransform(dpr, 0, 0, dpr, 0, 0);
    base.fillStyle = colours.sea;
    base.fillRect(0, 0, view.w, view.h);
    drawGraticule();
    const copies = worldCopies();
    for (const c of copies) {
      base.setTransform(dpr * view.k, 0, 0, dpr * view.k, dpr * (view.x + c * view.k), dpr * view.y);
      base.fillStyle = colours.land;
      base.fill(land);
      base.fillStyle = colours.landMentioned;
      base.fill(tinted);
      base.lineJoin = 'round';
      base.strokeStyle = colours.border;
      base.lineWidth = 0.6 / view.k;
      base.stroke(borders);
      base.strokeStyle = colours.coast;
      base.lineWidth = 0.8 / view.k;
      base.stroke(land);
    }
    base.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawOceanLabels(copies);
  }

  /* Say how many places the view leaves out, so that nobody takes the view for the whole story. */
  let outsideShown = -1;
  function showOutside(n) {
    if (n === outsideShown) return;
    outsideShown = n;
    $('outside').hidden = n === 0;
    $('outside-text').textContent = plural(n, 'place') + ' of ' + places.length.toLocaleString('en-GB') + ' outside this view';
  }

  /* The copies of the world (as whole-turn offsets) that the view shows, so the Pacific stays whole. */
  function worldCopies() {
    const from = Math.floor(-view.x / view.k);
    const to = Math.floor((view.w - view.x) / view.k);
    const copies = [];
    for (let c = Math.max(from, -2); c <= Math.min(to, 2); c++) copies.push(c);
    return copies;
  }

  function drawGraticule() {
    const degreesPerPixel = 360 / view.k;
    const step = [1, 2, 5, 10, 15, 30].find(function (s) { return s / degreesPerPixel >= 90; }) || 30;
    base.strokeStyle = colours.graticule;
    base.lineWidth = 1;
    base.beginPath();
    const west = (-view.x / view.k) * 360 - 180;
    const east = ((view.w - view.x) / view.k) * 360 - 180;
    for (let lon = Math.ceil(west / step) * step; lon <= east; lon += step) {
      const x = Math.round(sx(mercX(lon))) + 0.5;
      base.moveTo(x, 0);
      base.lineTo(x, view.h);
    }
    const north = Math.min(MAX_LAT, latOfY(-view.y / view.k));
    const south = Math.max(-MAX_LAT, latOfY((view.h - view.y) / view.k));
    for (let lat = Math.ceil(south / step) * step; lat <= north; lat += step) {
      const y = Math.round(sy(mercY(lat))) + 0.5;
      base.moveTo(0, y);
      base.lineTo(view.w, y);
    }
    base.stroke();
  }

  function drawOceanLabels(copies) {
    base.font = OCEAN_FONT;
    base.fillStyle = colours.oceanLabel;
    base.textAlign = 'center';
    base.textBaseline = 'middle';
    for (const c of copies) {
      for (const o of oceans) {
        const x = sx(o.x + c);
        const y = sy(o.y);
        if (onScreen(x, y, 80)) base.fillText(o.name, x, y);
      }
    }
  }

  /* Drawing is batched: one path per kind of mark (per colour and size step for circles), so that a
     frame costs a few hundred canvas calls however many places and tracks there are. */

  function drawTracks() {
    const others = tracks.filter(function (t) { return t !== state.selected; });
    const counts = drawTrackLayer(others, colours.track, 2.2);
    if (state.selected && state.selected.type === 'track') {
      const c = drawTrackLayer([state.selected], colours.selected, 3.5);
      counts.tracks += c.tracks;
      counts.legs += c.legs;
    }
    stats.tracks = counts.tracks;
    stats.legs = counts.legs;
  }

  /* Many tracks at once are drawn as hairlines without a casing: wide lines are slow to draw, and
     at that density wide lines would hide one another anyway. */
  function drawTrackLayer(list, colour, width) {
    const shown = [];
    const stops = [];
    let drawnTracks = 0;
    for (const t of list) {
      let drew = false;
      for (const leg of t.legs) {
        leg.shown = 0;
        const share = legShare(leg, state.day);
        if (share <= 0) continue;
        if (sx(leg.maxX) < -20 || sx(leg.minX) > view.w + 20 || sy(leg.maxY) < -20 || sy(leg.minY) > view.h + 20) continue;
        leg.shown = share;
        shown.push(leg);
        drew = true;
      }
      for (const w of t.waypoints) {
        if (!hasHappened(w.start, state.day) || !onScreen(sx(w.x), sy(w.y), 10)) continue;
        stops.push(w);
        drew = true;
      }
      if (drew) drawnTracks++;
    }
    const dense = shown.length > DENSE_LEGS;
    const lineWidth = dense ? 1 : width;
    const stopRadius = dense ? 2 : 3;
    const solid = new Path2D();
    const dashed = new Path2D();
    const arrows = new Path2D();
    for (const leg of shown) {
      const pts = partialLeg(leg, leg.shown);
      addPolyline(leg.data.planned ? dashed : solid, pts);
      addArrows(arrows, pts, 4 + lineWidth);
    }
    const reached = new Path2D();
    const planned = new Path2D();
    for (const w of stops) {
      const path = w.data.planned ? planned : reached;
      path.moveTo(sx(w.x) + stopRadius, sy(w.y));
      path.arc(sx(w.x), sy(w.y), stopRadius, 0, 2 * Math.PI);
    }
    ctx.lineJoin = 'round';
    ctx.lineCap = 'round';
    if (!dense) {
      ctx.strokeStyle = 'rgba(255,255,255,0.85)';
      ctx.lineWidth = lineWidth + 2.5;
      ctx.stroke(solid);
      ctx.stroke(dashed);
    }
    ctx.strokeStyle = colour;
    ctx.lineWidth = lineWidth;
    ctx.stroke(solid);
    ctx.setLineDash([7, 5]);
    ctx.stroke(dashed);
    ctx.setLineDash([]);
    ctx.fillStyle = colour;
    ctx.fill(arrows);
    ctx.fillStyle = '#fff';
    ctx.fill(reached);
    ctx.fill(planned);
    ctx.lineWidth = dense ? 1 : 1.5;
    ctx.stroke(reached);
    ctx.setLineDash([2, 2]);
    ctx.stroke(planned);
    ctx.setLineDash([]);
    return { tracks: drawnTracks, legs: shown.length };
  }

  /* Screen points of the first `share` of a leg's length. */
  function partialLeg(leg, share) {
    const total = leg.lengths[leg.lengths.length - 1];
    const limit = total * Math.min(1, share);
    const pts = [sx(leg.xs[0]), sy(leg.ys[0])];
    for (let i = 1; i < leg.xs.length; i++) {
      if (leg.lengths[i] <= limit || share >= 1) {
        pts.push(sx(leg.xs[i]), sy(leg.ys[i]));
        continue;
      }
      const segment = leg.lengths[i] - leg.lengths[i - 1];
      const f = segment > 0 ? (limit - leg.lengths[i - 1]) / segment : 0;
      pts.push(sx(leg.xs[i - 1] + (leg.xs[i] - leg.xs[i - 1]) * f), sy(leg.ys[i - 1] + (leg.ys[i] - leg.ys[i - 1]) * f));
      break;
    }
    return pts;
  }

  function addPolyline(path, pts) {
    path.moveTo(pts[0], pts[1]);
    for (let i = 2; i < pts.length; i += 2) path.lineTo(pts[i], pts[i + 1]);
  }

  /* Arrowheads along a line, pointing the way the ship went: one every ARROW_SPACING pixels, or one
     past the middle of a short line. */
  function addArrows(path, pts, size) {
    let total = 0;
    for (let i = 2; i < pts.length; i += 2) total += Math.hypot(pts[i] - pts[i - 2], pts[i + 1] - pts[i - 1]);
    if (total < 14) return;
    const at = [];
    if (total < ARROW_SPACING) at.push(total * 0.6);
    for (let d = ARROW_SPACING * 0.6; d < total - 8; d += ARROW_SPACING) at.push(d);
    let walked = 0;
    let next = 0;
    for (let i = 2; i < pts.length && next < at.length; i += 2) {
      const dx = pts[i] - pts[i - 2];
      const dy = pts[i + 1] - pts[i - 1];
      const len = Math.hypot(dx, dy);
      while (next < at.length && at[next] <= walked + len) {
        const f = len > 0 ? (at[next] - walked) / len : 0;
        const x = pts[i - 2] + dx * f;
        const y = pts[i - 1] + dy * f;
        const ux = len > 0 ? dx / len : 1;
        const uy = len > 0 ? dy / len : 0;
        /* Tip ahead, two barbs behind, a notch between them. */
        path.moveTo(x + ux * size, y + uy * size);
        path.lineTo(x - ux * size * 0.7 - uy * size * 0.75, y - uy * size * 0.7 + ux * size * 0.75);
        path.lineTo(x - ux * size * 0.35, y - uy * size * 0.35);
        path.lineTo(x - ux * size * 0.7 + uy * size * 0.75, y - uy * size * 0.7 - ux * size * 0.75);
        path.closePath();
        next++;
      }
      walked += len;
    }
  }

  /* Circles shrink where thousands of places share the view, down to a floor, so that the map stays a
     map rather than a carpet of dots; their sizes still rank the places by mentions. */
  function markerScale() {
    let inView = 0;
    for (const p of places) if (onScreen(sx(p.x), sy(p.y), 0)) inView++;
    return clamp(Math.sqrt(view.w * view.h / (Math.max(1, inView) * PIXELS_PER_PLACE)), MIN_MARKER_SCALE, 1);
  }
  function radiusOf(p) {
    return p.r * state.markerScale;
  }

  function drawPlaces() {
    let drawn = 0;
    let batch = null;
    state.markerScale = markerScale();
    ctx.lineWidth = 1;
    ctx.strokeStyle = '#fff';
    function flush() {
      if (!batch) return;
      ctx.globalAlpha = 0.8;
      ctx.fillStyle = batch.colour;
      ctx.fill(batch.path);
      ctx.globalAlpha = 1;
      ctx.stroke(batch.path);
    }
    for (const p of placeOrder) {
      const x = sx(p.x);
      const y = sy(p.y);
      const r = radiusOf(p);
      if (!onScreen(x, y, r + 2)) continue;
      const key = p.step * 64 + p.group;
      if (!batch || batch.key !== key) {
        flush();
        batch = { key: key, colour: p.colour, path: new Path2D() };
      }
      batch.path.moveTo(x + r, y);
      batch.path.arc(x, y, r, 0, 2 * Math.PI);
      drawn++;
    }
    flush();
    if (state.selected && state.selected.type === 'place') {
      const p = state.selected;
      ctx.beginPath();
      ctx.arc(sx(p.x), sy(p.y), radiusOf(p) + 3.5, 0, 2 * Math.PI);
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = colours.selected;
      ctx.stroke();
    }
    stats.places = drawn;
  }

  /* Where an event's diamond sits: beside its place, fanned out when a place has several. */
  function eventPoint(ev) {
    const p = ev.place;
    const offset = radiusOf(p) * 0.7 + 6;
    return { x: sx(p.x) + offset + ev.slot * 12, y: sy(p.y) - offset };
  }

  function addDiamond(path, x, y, s) {
    path.moveTo(x, y - s);
    path.lineTo(x + s, y);
    path.lineTo(x, y + s);
    path.lineTo(x - s, y);
    path.closePath();
  }

  function drawEvents() {
    const drawn = [];
    const happened = new Path2D();
    const planned = new Path2D();
    for (const ev of events) {
      if (!ev.place || !hasHappened(ev.start, state.day)) continue;
      const pt = eventPoint(ev);
      if (!onScreen(pt.x, pt.y, 10)) continue;
      addDiamond(ev.data.modality === 'planned' ? planned : happened, pt.x, pt.y, 6);
      drawn.push(ev.data.id);
    }
    ctx.lineWidth = 1.3;
    ctx.strokeStyle = colours.eventStroke;
    ctx.fillStyle = colours.event;
    ctx.fill(happened);
    ctx.stroke(happened);
    ctx.fillStyle = '#fff';
    ctx.fill(planned);
    ctx.setLineDash([2, 2]);
    ctx.stroke(planned);
    ctx.setLineDash([]);
    const selected = state.selected;
    if (selected && selected.type === 'event' && selected.place && drawn.indexOf(selected.data.id) >= 0) {
      const pt = eventPoint(selected);
      const path = new Path2D();
      addDiamond(path, pt.x, pt.y, 7.5);
      ctx.fillStyle = selected.data.modality === 'planned' ? '#fff' : colours.event;
      ctx.fill(path);
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = colours.selected;
      ctx.stroke(path);
    }
    stats.events = drawn;
  }

  /* Names beside the circles, most-mentioned first, skipping any that would overlap a placed one. */
  function drawLabels() {
    const placed = [];
    function free(r) {
      if (r.x < 0 || r.y < 0 || r.x + r.w > view.w || r.y + r.h > view.h) return false;
      for (const q of placed) if (r.x < q.x + q.w && q.x < r.x + r.w && r.y < q.y + q.h && q.y < r.y + r.h) return false;
      return true;
    }
    const candidates = [];
    if (state.selected && state.selected.type === 'place') candidates.push(state.selected);
    for (const p of placeOrder) {
      if (candidates.length >= MAX_LABELS_TRIED) break;
      if (p !== state.selected && onScreen(sx(p.x), sy(p.y), 0)) candidates.push(p);
    }
    candidates.sort(function (a, b) {
      return (b === state.selected) - (a === state.selected) || b.water - a.water || b.data.mentions - a.data.mentions || a.index - b.index;
    });
    ctx.textBaseline = 'middle';
    ctx.lineJoin = 'round';
    const most = Math.max(8, Math.round(view.w * view.h / PIXELS_PER_LABEL));
    /* Names already written, with where: two entries for one town (a city and its port) get one label. */
    const written = [];
    for (const p of candidates) {
      if (placed.length >= most) break;
      const name = labelText(p);
      const x = sx(p.x);
      const y = sy(p.y);
      if (written.some(function (n) { return n.name === name && Math.hypot(n.x - x, n.y - y) < 30; })) continue;
      const font = p.water ? WATER_FONT : p.data.kind === 'country' ? COUNTRY_FONT : LABEL_FONT;
      ctx.font = font;
      if (p.labelWidth === null) p.labelWidth = ctx.measureText(name).width;
      const w = p.labelWidth;
      const h = 14;
      const gap = radiusOf(p) + 3;
      const options = p.water
        ? [[x - w / 2, y + gap + h / 2], [x - w / 2, y - gap - h / 2]]
        : [[x + gap, y], [x - gap - w, y], [x - w / 2, y - gap - h / 2], [x - w / 2, y + gap + h / 2]];
      for (const o of options) {
        const rect = { x: o[0] - 2, y: o[1] - h / 2, w: w + 4, h: h };
        if (!free(rect)) continue;
        placed.push(rect);
        written.push({ name: name, x: x, y: y });
        ctx.textAlign = 'left';
        ctx.strokeStyle = colours.halo;
        ctx.lineWidth = 3;
        ctx.strokeText(name, o[0], o[1]);
        ctx.fillStyle = p.water ? colours.waterLabel : colours.label;
        ctx.fillText(name, o[0], o[1]);
        break;
      }
    }
  }
  function labelText(p) {
    const name = text(p.data.name);
    const short = name.length > 40 ? name.slice(0, 39) + '…' : name;
    return p.data.kind === 'country' ? short.toUpperCase() : short;
  }

  /* ---- Finding what is under the pointer. ---- */

  function hitTest(x, y) {
    for (let i = events.length - 1; i >= 0; i--) {
      const ev = events[i];
      if (!ev.place || !hasHappened(ev.start, state.day)) continue;
      const pt = eventPoint(ev);
      if (Math.abs(x - pt.x) + Math.abs(y - pt.y) <= 8) return ev;
    }
    /* Of the circles under the pointer, the one whose centre is nearest: overlapping places stay
       reachable by aiming at them. */
    let nearest = null;
    let nearestDistance = Infinity;
    for (let i = placeOrder.length - 1; i >= 0; i--) {
      const p = placeOrder[i];
      const d = Math.hypot(x - sx(p.x), y - sy(p.y));
      if (d <= radiusOf(p) + 2 && d < nearestDistance) {
        nearest = p;
        nearestDistance = d;
      }
    }
    if (nearest) return nearest;
    let best = null;
    let bestDistance = 6;
    for (const t of tracks) {
      for (const leg of t.legs) {
        if (!leg.shown) continue;
        const pts = partialLeg(leg, leg.shown);
        for (let i = 2; i < pts.length; i += 2) {
          const d = segmentDistance(x, y, pts[i - 2], pts[i - 1], pts[i], pts[i + 1]);
          if (d < bestDistance) { bestDistance = d; best = t; }
        }
      }
    }
    return best;
  }
  function segmentDistance(px, py, ax, ay, bx, by) {
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const f = len2 > 0 ? clamp(((px - ax) * dx + (py - ay) * dy) / len2, 0, 1) : 0;
    return Math.hypot(px - (ax + dx * f), py - (ay + dy * f));
  }
  function itemName(item) {
    if (item.type === 'place') return text(item.data.name) + ' · ' + plural(item.data.mentions, 'mention');
    if (item.type === 'event') return eventTitle(item) + ' · ' + rangeLabel(item.start, item.end);
    return text(item.data.actor) + ' · track';
  }

  /* ---- Pan and zoom: mouse, wheel, touch (pointer events), keys and buttons. ---- */

  const pointers = new Map();
  let press = null;

  function localPoint(e) {
    const r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }
  canvas.addEventListener('pointerdown', function (e) {
    if (e.button !== undefined && e.button > 0) return;
    canvas.setPointerCapture(e.pointerId);
    const pt = localPoint(e);
    pointers.set(e.pointerId, pt);
    press = pointers.size === 1 ? { x: pt.x, y: pt.y, moved: false } : null;
    canvas.classList.add('dragging');
    hideTooltip();
  });
  canvas.addEventListener('pointermove', function (e) {
    const pt = localPoint(e);
    const previous = pointers.get(e.pointerId);
    if (!previous) {
      hover(pt);
      return;
    }
    if (pointers.size === 1) {
      panBy(pt.x - previous.x, pt.y - previous.y);
      if (press && Math.hypot(pt.x - press.x, pt.y - press.y) > 4) press.moved = true;
    } else if (pointers.size === 2) {
      let other = null;
      for (const [id, p] of pointers) if (id !== e.pointerId) other = p;
      const before = Math.hypot(previous.x - other.x, previous.y - other.y);
      const after = Math.hypot(pt.x - other.x, pt.y - other.y);
      const midBefore = { x: (previous.x + other.x) / 2, y: (previous.y + other.y) / 2 };
      const midAfter = { x: (pt.x + other.x) / 2, y: (pt.y + other.y) / 2 };
      if (before > 0) zoomAt(midBefore.x, midBefore.y, after / before);
      panBy(midAfter.x - midBefore.x, midAfter.y - midBefore.y);
    }
    pointers.set(e.pointerId, pt);
  });
  function endPointer(e) {
    if (!pointers.has(e.pointerId)) return;
    pointers.delete(e.pointerId);
    if (pointers.size === 0) canvas.classList.remove('dragging');
    if (e.type === 'pointerup' && press && !press.moved && pointers.size === 0) {
      const pt = localPoint(e);
      const item = hitTest(pt.x, pt.y);
      select(item, false);
    }
    press = null;
  }
  canvas.addEventListener('pointerup', endPointer);
  canvas.addEventListener('pointercancel', endPointer);
  canvas.addEventListener('pointerleave', function () {
    if (pointers.size === 0) hideTooltip();
  });
  canvas.addEventListener('dblclick', function (e) {
    const pt = localPoint(e);
    zoomAt(pt.x, pt.y, e.shiftKey ? 0.5 : 2);
  });
  canvas.addEventListener('wheel', function (e) {
    e.preventDefault();
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? view.h : 1;
    const pt = localPoint(e);
    zoomAt(pt.x, pt.y, Math.exp(-e.deltaY * unit * 0.0016));
  }, { passive: false });
  canvas.addEventListener('keydown', function (e) {
    const step = 80;
    const actions = {
      '+': function () { zoomAt(view.w / 2, view.h / 2, 2); },
      '=': function () { zoomAt(view.w / 2, view.h / 2, 2); },
      '-': function () { zoomAt(view.w / 2, view.h / 2, 0.5); },
      '0': function () { fitTo(allBounds()); requestRender(); },
      ArrowLeft: function () { panBy(step, 0); },
      ArrowRight: function () { panBy(-step, 0); },
      ArrowUp: function () { panBy(0, step); },
      ArrowDown: function () { panBy(0, -step); },
      Escape: function () { select(null, false); }
    };
    if (actions[e.key]) {
      e.preventDefault();
      actions[e.key]();
    }
  });
  $('zoom-in').addEventListener('click', function () { zoomAt(view.w / 2, view.h / 2, 2); });
  $('zoom-out').addEventListener('click', function () { zoomAt(view.w / 2, view.h / 2, 0.5); });
  $('zoom-fit').addEventListener('click', function () { fitTo(allBounds()); requestRender(); });
  $('outside-all').addEventListener('click', function () { fitTo(allBounds()); requestRender(); });

  const tooltip = $('tooltip');
  function hover(pt) {
    const item = hitTest(pt.x, pt.y);
    canvas.classList.toggle('pointing', item !== null);
    if (!item) {
      hideTooltip();
      return;
    }
    tooltip.textContent = itemName(item);
    tooltip.hidden = false;
    const left = Math.min(pt.x + 14, view.w - tooltip.offsetWidth - 4);
    tooltip.style.left = Math.max(4, left) + 'px';
    tooltip.style.top = Math.max(4, pt.y - 30) + 'px';
  }
  function hideTooltip() {
    tooltip.hidden = true;
  }

  /* ---- Selection and the details panel. ---- */

  function select(item, reveal) {
    state.selected = item;
    for (const ev of events) if (ev.item) ev.item.classList.toggle('selected', ev === item);
    if (item && reveal) revealItem(item);
    showDetails(item);
    requestRender();
  }
  function revealItem(item) {
    let x, y;
    if (item.type === 'place') { x = item.x; y = item.y; }
    else if (item.type === 'event' && item.place) { x = item.place.x; y = item.place.y; }
    else if (item.type === 'track' && item.waypoints.length) { x = item.waypoints[0].x; y = item.waypoints[0].y; }
    else return;
    if (!onScreen(sx(x), sy(y), -40)) centreOn(x, y);
  }

  function confidenceBadge(value, what) {
    const v = Number(value);
    const level = v >= 0.8 ? 'high' : v >= 0.5 ? 'medium' : 'low';
    const badge = el('span', 'confidence ' + level, 'Confidence ' + v.toFixed(2) + ' · ' + level);
    badge.title = what;
    return badge;
  }
  /* A sentence with the words that name the place marked. */
  function quote(sentence, words) {
    const q = el('blockquote', 'quote');
    const s = text(sentence);
    const w = text(words);
    const at = w ? s.indexOf(w) : -1;
    if (at < 0) {
      q.textContent = s;
    } else {
      q.append(document.createTextNode(s.slice(0, at)), el('mark', null, w), document.createTextNode(s.slice(at + w.length)));
    }
    return q;
  }
  function citation(docId) {
    const d = documents.get(docId);
    if (!d) return el('span', 'cite', text(docId));
    const parts = [text(d.title) || text(d.path).split(/[\\/]/).pop()];
    if (d.source) parts.push(text(d.source));
    if (d.published) parts.push(rangeLabel(dayOf(d.published), null));
    const cite = el('span', 'cite', parts.join(' · '));
    if (d.url) cite.title = text(d.url);
    return cite;
  }
  function eventTitle(ev) {
    const action = ACTIONS[ev.data.action] || text(ev.data.action);
    return action + ' · ' + text(ev.data.actor);
  }
  function placeButton(id) {
    const p = placeById.get(id);
    if (!p) return el('span', null, text(id));
    const b = el('button', 'linklike', p.data.name);
    b.type = 'button';
    b.addEventListener('click', function () { select(p, true); });
    return b;
  }
  function eventButton(ev) {
    const b = el('button', 'linklike', eventTitle(ev) + ' (' + rangeLabel(ev.start, ev.end) + ')');
    b.type = 'button';
    b.addEventListener('click', function () { select(ev, true); });
    return b;
  }
  /* Sentences grouped under the document they come from, each sentence once. */
  function sourcesList(sources) {
    const list = el('ul', 'sources');
    const byDocument = new Map();
    for (const s of sources) {
      if (!byDocument.has(s.doc)) byDocument.set(s.doc, []);
      byDocument.get(s.doc).push(s);
    }
    for (const [doc, items] of byDocument) {
      const li = el('li');
      li.append(citation(doc));
      const seen = new Set();
      for (const s of items) {
        const sentence = text(s.sentence);
        if (seen.has(sentence)) continue;
        seen.add(sentence);
        li.append(quote(sentence, s.words));
        if (s.note) li.append(el('span', 'note', s.note));
      }
      list.append(li);
    }
    return list;
  }
  function countDocuments(items) {
    return new Set(items.map(function (s) { return s.doc; })).size;
  }

  function showDetails(item) {
    const panel = $('details');
    const body = $('details-body');
    body.replaceChildren();
    if (!item) {
      panel.hidden = true;
      return;
    }
    if (item.type === 'place') placeDetails(item, body);
    else if (item.type === 'event') eventDetails(item, body);
    else trackDetails(item, body);
    panel.hidden = false;
    panel.scrollTop = 0;
  }

  function placeDetails(p, body) {
    const d = p.data;
    body.append(el('h2', null, d.name));
    const kind = mapStyle.groups[p.group].label;
    const where = [text(d.kind) === kind.toLowerCase() ? kind : kind + ' (' + text(d.kind) + ')'];
    if (d.country) where.push(text(d.country));
    where.push(Number(d.lat).toFixed(3) + ', ' + Number(d.lon).toFixed(3));
    body.append(el('p', 'meta', where.join(' · ')));
    body.append(el('p', 'meta', 'Gazetteer: ' + text(d.gazetteer) + ' ' + text(d.gazetteer_id)));
    const confidences = p.mentions.map(function (m) { return Number(m.confidence); });
    const summary = el('p', 'meta', plural(d.mentions, 'mention') + ' in ' + plural(countDocuments(p.mentions), 'document') + ' ');
    if (confidences.length) {
      const mean = confidences.reduce(function (a, b) { return a + b; }, 0) / confidences.length;
      summary.append(confidenceBadge(mean, 'Mean confidence of the resolution of the ' + plural(confidences.length, 'mention') + ' (lowest ' + least(confidences).toFixed(2) + ')'));
    }
    body.append(summary);
    if (p.events.length) {
      body.append(el('h3', null, 'Events here'));
      const list = el('ul', 'inline-list');
      for (const ev of p.events) { const li = el('li'); li.append(eventButton(ev)); list.append(li); }
      body.append(list);
    }
    body.append(el('h3', null, 'Mentions'));
    body.append(sourcesList(p.mentions.map(function (m) {
      const note = 'confidence ' + Number(m.confidence).toFixed(2) + (m.role === 'polity' ? ' · stands for its government' : '');
      return { doc: m.doc, sentence: m.sentence, words: m.text, note: note };
    })));
    const others = new Map();
    for (const m of p.mentions) {
      for (const c of m.candidates || []) {
        if (c.place !== d.id && !others.has(c.place)) others.set(c.place, c);
      }
    }
    if (others.size) {
      const box = el('details', 'candidates');
      box.append(el('summary', null, 'Other places the name could mean (' + others.size + ')'));
      const list = el('ul', 'inline-list');
      for (const c of others.values()) {
        list.append(el('li', null, text(c.name) + ' · ' + text(c.kind) + (c.country ? ' · ' + text(c.country) : '') + ' · score ' + Number(c.score).toFixed(2)));
      }
      box.append(list);
      body.append(box);
    }
  }

  function eventDetails(ev, body) {
    const d = ev.data;
    const heading = el('h2', null, eventTitle(ev) + ' ');
    if (d.modality === 'planned') heading.append(el('span', 'badge planned', 'planned'));
    body.append(heading);
    body.append(el('p', 'meta', rangeLabel(ev.start, ev.end) + (d.when ? ' (reported as ' + text(d.when) + ')' : '')));
    const where = el('p', 'meta', (d.places || []).length ? 'Where: ' : 'Where: not stated');
    (d.places || []).forEach(function (id, i) {
      if (i) where.append(document.createTextNode(', '));
      where.append(placeButton(id));
    });
    body.append(where);
    const sources = d.sources || [];
    const evidence = el('p', 'meta', plural(sources.length, 'source sentence') + ' in ' + plural(countDocuments(sources), 'document') + ' of ' + story.documents.length + ' ');
    if (ev.place && ev.place.mentions.length) {
      const cs = ev.place.mentions.map(function (m) { return Number(m.confidence); });
      evidence.append(confidenceBadge(cs.reduce(function (a, b) { return a + b; }, 0) / cs.length, 'Mean confidence of the resolution of ' + text(ev.place.data.name)));
    }
    body.append(evidence);
    body.append(el('h3', null, 'Sources'));
    body.append(sourcesList(sources.map(function (s) { return { doc: s.doc, sentence: s.sentence, words: '' }; })));
  }

  function trackDetails(t, body) {
    const d = t.data;
    body.append(el('h2', null, text(d.actor) + ' · track'));
    const planned = t.legs.filter(function (l) { return l.data.planned; }).length;
    const routed = t.legs.filter(function (l) { return l.data.routed; }).length;
    body.append(el('p', 'meta', plural(t.waypoints.length, 'stop') + ', ' + plural(t.legs.length, 'leg') + (planned ? ' (' + planned + ' planned, dashed)' : '')));
    body.append(el('p', 'meta', routed === t.legs.length
      ? 'Lines follow common sea lanes between the stops: the route is inferred, not reported.'
      : 'Lines follow sea lanes where known, else the shortest path: the route is inferred, not reported.'));
    body.append(el('h3', null, 'Stops'));
    const stops = el('ol', 'inline-list');
    const eventIds = [];
    for (const w of t.waypoints) {
      const li = el('li');
      li.append(placeButton(w.data.place), document.createTextNode(' · ' + rangeLabel(w.start, w.end) + (w.data.planned ? ' · planned' : '')));
      stops.append(li);
      for (const id of w.data.events || []) if (eventIds.indexOf(id) < 0) eventIds.push(id);
    }
    body.append(stops);
    const sources = [];
    for (const id of eventIds) {
      const ev = eventById.get(id);
      if (ev) for (const s of ev.data.sources || []) sources.push({ doc: s.doc, sentence: s.sentence, words: '' });
    }
    body.append(el('h3', null, 'Sources (' + plural(countDocuments(sources), 'document') + ')'));
    body.append(sourcesList(sources));
  }

  $('details-close').addEventListener('click', function () { select(null, false); });

  /* ---- Timeline and places lists. ---- */

  function buildTimeline() {
    const list = $('timeline-list');
    if (!events.length) {
      list.append(el('li', 'empty', 'No dated events were found in this story.'));
      return;
    }
    for (const ev of timelineOrder) {
      const li = el('li', 'event');
      const head = el('button', 'event-head');
      head.type = 'button';
      const when = el('span', 'when', rangeLabel(ev.start, ev.end));
      const what = el('span', 'what', eventTitle(ev) + ' ');
      if (ev.data.modality === 'planned') what.append(el('span', 'badge planned', 'planned'));
      const names = (ev.data.places || []).map(function (id) { const p = placeById.get(id); return p ? text(p.data.name) : text(id); });
      head.append(when, what, el('span', 'where', names.join(', ')));
      head.addEventListener('click', function () { select(ev, true); });
      li.append(head);
      const sources = ev.data.sources || [];
      for (const s of sources.slice(0, 2)) li.append(quote(s.sentence, ''));
      if (sources.length > 2) li.append(el('p', 'more', '+ ' + plural(sources.length - 2, 'more source') + ' in the details'));
      ev.item = li;
      list.append(li);
    }
  }

  function buildPlaceList() {
    const filter = $('place-filter');
    const list = $('place-list');
    const more = $('place-more');
    const byMentions = places.slice().sort(function (a, b) { return b.data.mentions - a.data.mentions || text(a.data.name).localeCompare(text(b.data.name)) || a.index - b.index; });
    const limit = 300;
    function fill() {
      const needle = filter.value.trim().toLowerCase();
      const matches = needle ? byMentions.filter(function (p) { return text(p.data.name).toLowerCase().indexOf(needle) >= 0; }) : byMentions;
      list.replaceChildren();
      for (const p of matches.slice(0, limit)) {
        const b = el('button');
        b.type = 'button';
        const dot = el('span', 'swatch');
        dot.style.backgroundColor = p.colour;
        b.append(dot, el('span', 'name', p.data.name), el('span', 'kind', p.data.kind), el('span', 'count', p.data.mentions));
        b.addEventListener('click', function () { select(p, true); });
        const li = el('li');
        li.append(b);
        list.append(li);
      }
      more.textContent = matches.length > limit ? plural(matches.length - limit, 'more place') + ': type to narrow the list.' : matches.length ? '' : 'No place matches.';
    }
    filter.addEventListener('input', fill);
    fill();
  }

  function showTab(name) {
    for (const tab of ['timeline', 'places']) {
      $('tab-' + tab).setAttribute('aria-selected', String(tab === name));
      $(tab).hidden = tab !== name;
    }
  }
  $('tab-timeline').addEventListener('click', function () { showTab('timeline'); });
  $('tab-places').addEventListener('click', function () { showTab('places'); });

  /* ---- Legend, summary, attribution. ---- */

  function buildLegend() {
    const body = $('legend-body');
    const counts = mapStyle.groups.map(function () { return 0; });
    for (const p of places) counts[p.group]++;
    mapStyle.groups.forEach(function (g, i) {
      if (!counts[i]) return;
      const row = el('div', 'legend-row');
      const dot = el('span', 'swatch');
      dot.style.backgroundColor = g.colour;
      row.append(dot, el('span', null, g.label), el('span', 'count', counts[i]));
      body.append(row);
    });
    if (mentionedCountries.size) {
      const row = el('div', 'legend-row');
      const area = el('span', 'swatch area');
      area.style.backgroundColor = colours.landMentioned;
      row.append(area, el('span', null, 'Country mentioned'));
      body.append(row);
    }
    if (places.length) {
      body.append(el('div', 'legend-heading', 'Mentions'));
      const sizes = el('div', 'sizes');
      const steps = maxMentions >= 10 ? [1, Math.round(maxMentions / 4), maxMentions] : maxMentions > 1 ? [1, maxMentions] : [1];
      for (const n of steps) {
        const s = el('span');
        const dot = el('i');
        const r = radius(n);
        dot.style.width = dot.style.height = (2 * r) + 'px';
        s.append(dot, el('span', null, n));
        sizes.append(s);
      }
      body.append(sizes);
    }
    if (events.length || tracks.length) body.append(el('div', 'legend-heading', 'Movements'));
    if (events.length) {
      const row = el('div', 'legend-row');
      const svg = svgEl('svg', { width: 22, height: 14, viewBox: '0 0 22 14' });
      svg.append(svgEl('path', { d: 'M11 1 L17 7 L11 13 L5 7 Z', fill: colours.event, stroke: colours.eventStroke, 'stroke-width': 1.3 }));
      row.append(svg, el('span', null, 'Event'), el('span', 'count', events.length));
      body.append(row);
    }
    if (tracks.length) {
      const lines = [['Track, arrows show direction', null], ['Planned leg', '6 4']];
      for (const [label, dash] of lines) {
        if (dash && !tracks.some(function (t) { return t.legs.some(function (l) { return l.data.planned; }); })) continue;
        const row = el('div', 'legend-row');
        const svg = svgEl('svg', { width: 22, height: 14, viewBox: '0 0 22 14' });
        const line = svgEl('path', { d: 'M1 7 H18', stroke: colours.track, 'stroke-width': 2.2, fill: 'none' });
        if (dash) line.setAttribute('stroke-dasharray', dash);
        svg.append(line, svgEl('path', { d: 'M21 7 L14 3 L16 7 L14 11 Z', fill: colours.track }));
        row.append(svg, el('span', null, label));
        body.append(row);
      }
    }
    const toggle = $('legend-toggle');
    function openLegend(open) {
      toggle.setAttribute('aria-expanded', String(open));
      body.hidden = !open;
    }
    toggle.addEventListener('click', function () {
      openLegend(toggle.getAttribute('aria-expanded') !== 'true');
    });
    /* On a small screen the legend starts folded, leaving the map to the data. */
    openLegend(canvas.clientWidth >= 640);
  }

  function buildSummary() {
    const parts = [
      plural(story.documents.length, 'document'), plural(places.length, 'place'),
      plural(events.length, 'event'), plural(tracks.length, 'track')
    ];
    if (firstDay !== null) parts.push(rangeLabel(firstDay, lastDay));
    $('summary').textContent = parts.join(' · ');
    const credits = ((story.generator && story.generator.attribution) || []).map(text);
    if (!credits.some(function (c) { return c.indexOf('Natural Earth') >= 0; })) credits.push('Basemap: Natural Earth, public domain');
    $('attribution').textContent = credits.join(' · ');
  }

  /* ---- Time: the slider, playing, and what has happened by the chosen day. ---- */

  const slider = $('day');
  const label = $('day-label');
  const play = $('play');
  const showAll = $('show-all');

  function setDay(day) {
    state.day = day;
    if (day !== null) slider.value = String(day);
    if (day === null) {
      label.textContent = 'No dated events or stops in this story';
    } else {
      const p = dayParts(day);
      label.textContent = p.weekday + ' ' + p.day + ' ' + p.month + ' ' + p.year + (day === lastDay ? ' (end)' : '');
    }
    let latest = null;
    for (const ev of timelineOrder) {
      if (!ev.item) continue;
      const happened = hasHappened(ev.start, day);
      ev.item.classList.toggle('future', !happened);
      ev.item.classList.toggle('current', day !== null && ev.start !== null && ev.start <= day && day <= ev.end);
      if (happened && ev.start !== null) latest = ev;
    }
    if (state.playing !== null && latest) latest.item.scrollIntoView({ block: 'nearest' });
    requestRender();
  }
  function stopPlaying() {
    if (state.playing !== null) clearInterval(state.playing);
    state.playing = null;
    play.textContent = '▶';
    play.setAttribute('aria-label', 'Play the story day by day');
  }
  function startPlaying() {
    if (state.day === null || state.day >= lastDay) setDay(firstDay);
    /* Day by day; a long story steps faster so that it plays in about half a minute. */
    const pace = clamp(30000 / Math.max(1, lastDay - firstDay), 120, 700);
    state.playing = setInterval(function () {
      if (state.day >= lastDay) stopPlaying();
      else setDay(state.day + 1);
    }, pace);
    play.textContent = '❚❚';
    play.setAttribute('aria-label', 'Pause');
  }

  function buildTimebar() {
    if (firstDay === null) {
      slider.parentElement.hidden = play.hidden = showAll.hidden = true;
      setDay(null);
      return;
    }
    slider.min = String(firstDay);
    slider.max = String(lastDay);
    slider.step = '1';
    slider.addEventListener('input', function () {
      stopPlaying();
      setDay(Number(slider.value));
    });
    play.addEventListener('click', function () {
      if (state.playing !== null) stopPlaying();
      else startPlaying();
    });
    showAll.addEventListener('click', function () {
      stopPlaying();
      setDay(lastDay);
    });
    const ticks = $('ticks');
    const span = Math.max(1, lastDay - firstDay);
    const seen = new Set();
    for (const ev of events) {
      if (ev.start === null || seen.has(ev.start)) continue;
      seen.add(ev.start);
      const tick = el('i');
      tick.style.left = ((ev.start - firstDay) / span * 100) + '%';
      tick.title = rangeLabel(ev.start, null);
      ticks.append(tick);
    }
    setDay(lastDay);
  }

  /* ---- Start. ---- */

  buildSummary();
  buildLegend();
  buildTimeline();
  buildPlaceList();
  if (!events.length) showTab('places');
  resize();
  fitTo(focusBounds());
  buildTimebar();
  render();
  stats.readyMs = performance.now();
  window.addEventListener('resize', function () {
    resize();
    requestRender();
  });

  /* A small interface for scripts and tests: what was drawn, where a place is, and how fast a frame is. */
  window.mentionmap = Object.freeze({
    stats: function () {
      return {
        places: stats.places, tracks: stats.tracks, legs: stats.legs, events: stats.events.slice(),
        day: state.day === null ? null : isoOf(state.day), frameMs: stats.frameMs, readyMs: stats.readyMs
      };
    },
    /* Where on the page a place, an event's diamond or a track's first drawn leg is, by id. */
    screenPoint: function (id) {
      const r = canvas.getBoundingClientRect();
      const p = placeById.get(id);
      if (p) return { x: r.left + sx(p.x), y: r.top + sy(p.y) };
      const ev = eventById.get(id);
      if (ev && ev.place) {
        const pt = eventPoint(ev);
        return { x: r.left + pt.x, y: r.top + pt.y };
      }
      const t = tracks.find(function (t) { return t.data.id === id; });
      const leg = t && t.legs.find(function (l) { return l.shown > 0; });
      if (!leg) return null;
      /* The middle of the middle segment. */
      const pts = partialLeg(leg, leg.shown);
      const j = 2 * Math.max(0, Math.floor((pts.length / 2 - 2) / 2));
      return { x: r.left + (pts[j] + pts[j + 2]) / 2, y: r.top + (pts[j + 1] + pts[j + 3]) / 2 };
    },
    /* Milliseconds: `panMs`, the mean time between animation frames while panning by a few pixels
       a frame, painting included; `fullMs`, the mean time of a full frame with its pixels drawn. */
    benchmark: function (frames) {
      return new Promise(function (done) {
        let left = frames;
        let started = null;
        function step(now) {
          if (started === null) {
            started = now;
          } else if (--left === 0) {
            const panMs = (now - started) / frames;
            const t0 = performance.now();
            for (let i = 0; i < 5; i++) {
              render();
              base.getImageData(0, 0, 1, 1);
            }
            return done({ panMs: panMs, fullMs: (performance.now() - t0) / 5 });
          }
          panBy(left % 2 ? 3 : -3, 0);
          requestAnimationFrame(step);
        }
        requestAnimationFrame(step);
      });
    }
  });
})();
