// Meridian's web UI: services, instances and health, kept live through blocking queries. Plain DOM, no framework:
// every value from the registry goes in as text, never as HTML.
"use strict";

const WAIT = "5s";
const HEALTH_WORDS = {passing: "\u2714 passing", warning: "\u26a0 warning", critical: "\u2716 critical"};

const state = {
  namespace: localStorage.getItem("meridian.namespace") || "default",
  token: sessionStorage.getItem("meridian.token") || "",
  generation: 0,
};

/** An element with attributes (on* as listeners) and children (strings become text). */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function healthBadge(health) {
  return el("span", {class: "health " + health}, HEALTH_WORDS[health] || health);
}

function tags(list) {
  return (list || []).map(tag => el("span", {class: "tag"}, tag));
}

// ---- talking to the node ----

class Refused extends Error {
  constructor(status, message, body = {}) { super(message); this.status = status; this.body = body; }
}

/** A request with the namespace and the token; blocking when given an index. Shows and clears the lost banner. */
async function api(path, {method = "GET", index = null, namespaced = true} = {}) {
  const url = new URL(path, location.origin);
  if (namespaced) url.searchParams.set("ns", state.namespace);
  if (index !== null) {
    url.searchParams.set("index", index);
    url.searchParams.set("wait", WAIT);
  }
  const headers = state.token ? {"X-Consul-Token": state.token} : {};
  let response;
  try {
    response = await fetch(url, {method, headers});
  } catch (lost) {
    connectionLost(true);
    throw lost;
  }
  connectionLost(false);
  if (response.status === 401 || response.status === 403) {
    const body = await response.json().catch(() => ({}));
    askForToken(response.status === 401 ? body.error : "This token may not do that: " + (body.error || ""));
    throw new Refused(response.status, body.error || "refused");
  }
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Refused(response.status, body.error || response.statusText, body);
  }
  const type = response.headers.get("Content-Type") || "";
  const body = type.includes("json") ? await response.json() : await response.text();
  return {body, index: response.headers.get("X-Consul-Index")};
}

function connectionLost(lost) {
  const banner = document.getElementById("connection");
  banner.hidden = !lost;
  banner.textContent = lost ? "The connection to this Meridian node is lost. Retrying\u2026 what is shown may be "
      + "out of date." : "";
}

function askForToken(reason) {
  const dialog = document.getElementById("token-dialog");
  if (dialog.open) return;
  if (reason) document.getElementById("token-reason").textContent = reason;
  document.getElementById("token-input").value = state.token;
  dialog.showModal();
}

document.getElementById("token-dialog").addEventListener("close", event => {
  if (event.target.returnValue !== "ok") return;
  state.token = document.getElementById("token-input").value.trim();
  sessionStorage.setItem("meridian.token", state.token);
  route();
});
document.getElementById("token-button").addEventListener("click", () => askForToken(null));

/** Asks the person to confirm; resolves true if they did. */
function confirmAction(text) {
  const dialog = document.getElementById("confirm");
  document.getElementById("confirm-text").textContent = text;
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise(resolve => dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"),
      {once: true}));
}

/**
 * Calls render with each answer of a blocking query on path, for as long as the view is shown; backs off while the
 * node cannot be reached.
 */
async function follow(path, render) {
  const generation = state.generation;
  let index = null;
  let pause = 500;
  while (generation === state.generation) {
    try {
      const answer = await api(path, {index});
      if (generation !== state.generation) return;
      render(answer.body);
      index = answer.index;
      pause = 500;
    } catch (failure) {
      if (failure instanceof Refused && (failure.status === 401 || failure.status === 403)) return;
      if (failure instanceof Refused) render(null, failure.message);
      await new Promise(resolve => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 5000);
    }
  }
}

// ---- views ----

function show(...content) {
  document.getElementById("main").replaceChildren(...content);
}

function servicesView() {
  const search = el("input", {type: "search", id: "search", placeholder: "Search services or tags",
    "aria-label": "Search services"});
  const filter = el("select", {id: "health-filter", "aria-label": "Health filter"},
      el("option", {value: ""}, "Any health"),
      el("option", {value: "passing"}, "\u2714 all passing"),
      el("option", {value: "warning"}, "\u26a0 with warning instances"),
      el("option", {value: "critical"}, "\u2716 with critical instances"));
  const list = el("div", {id: "services"}, el("p", {class: "muted"}, "Loading\u2026"));
  let rows = [];
  const draw = () => list.replaceChildren(servicesTable(rows, search.value.trim().toLowerCase(), filter.value));
  search.addEventListener("input", draw);
  filter.addEventListener("change", draw);
  show(el("h1", {}, "Services"), el("div", {class: "toolbar"}, search, filter), list);
  follow("/v1/internal/ui/services", (body, error) => {
    if (error) {
      list.replaceChildren(el("p", {class: "notice"}, "The services cannot be read: " + error));
      return;
    }
    rows = body;
    draw();
  });
}

function servicesTable(rows, text, health) {
  if (rows.length === 0) {
    return el("div", {class: "empty", id: "empty"}, "No services are registered in namespace \u201c" + state.namespace
        + "\u201d yet. Register one with PUT /v1/agent/service/register, and it shows here within a second.");
  }
  const shown = rows.filter(row => (!text || row.Name.toLowerCase().includes(text)
      || row.Tags.some(tag => tag.toLowerCase().includes(text)))
      && (!health || (health === "passing" ? row.Warning + row.Critical === 0 : row[capitalized(health)] > 0)));
  if (shown.length === 0) return el("p", {class: "notice"}, "No service matches.");
  return el("table", {class: "responsive"},
      el("thead", {}, el("tr", {}, ["Service", "Tags", "Instances", "Passing", "Warning", "Critical"]
          .map((name, column) => el("th", {scope: "col", class: column > 1 ? "num" : null}, name)))),
      el("tbody", {}, shown.map(row => el("tr", {"data-service": row.Name},
          el("td", {"data-label": "Service"}, el("a", {href: "#/service/" + encodeURIComponent(row.Name)}, row.Name)),
          el("td", {"data-label": "Tags"}, tags(row.Tags)),
          el("td", {class: "num", "data-label": "Instances"}, row.InstanceCount),
          el("td", {class: "num", "data-label": "Passing"}, count(row.Passing, "passing")),
          el("td", {class: "num", "data-label": "Warning"}, count(row.Warning, "warning")),
          el("td", {class: "num", "data-label": "Critical"}, count(row.Critical, "critical"))))));
}

function count(value, health) {
  return value > 0 ? el("span", {class: "health " + health}, HEALTH_WORDS[health].split(" ")[0] + " " + value)
      : el("span", {class: "muted"}, "0");
}

function capitalized(word) {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function serviceView(service) {
  const body = el("div", {id: "instances"}, el("p", {class: "muted"}, "Loading\u2026"));
  show(el("p", {}, el("a", {href: "#/services"}, "\u2190 Services")), el("h1", {}, service), body);
  follow("/v1/internal/ui/service/" + encodeURIComponent(service), (instances, error) => {
    if (error) {
      body.replaceChildren(el("p", {class: "notice"}, "This service cannot be read: " + error));
    } else if (instances.length === 0) {
      body.replaceChildren(el("div", {class: "empty"}, "No instance of " + service + " is registered."));
    } else {
      body.replaceChildren(...instances.map(instance => instanceCard(service, instance, true)));
    }
  });
}

function instanceCard(service, instance, linked) {
  const s = instance.Service;
  const id = linked ? el("a", {href: "#/instance/" + encodeURIComponent(service) + "/" + encodeURIComponent(s.ID)},
      s.ID) : s.ID;
  const maintenance = instance.Checks.some(check => check.Type === "maintenance");
  return el("section", {class: "card", "data-instance": s.ID},
      el("h2", {}, id, " ", healthBadge(instance.Health)),
      el("dl", {},
          el("dt", {}, "Address"), el("dd", {}, (s.Address || "(the node's)") + (s.Port ? ":" + s.Port : "")),
          el("dt", {}, "Tags"), el("dd", {}, tags(s.Tags)),
          el("dt", {}, "Meta"), el("dd", {}, Object.entries(s.Meta || {}).map(([k, v]) => el("span", {class: "tag"},
              k + "=" + v))),
          el("dt", {}, "Weights"), el("dd", {}, "passing " + s.Weights.Passing + ", warning " + s.Weights.Warning),
          el("dt", {}, "Zone"), el("dd", {}, instance.Zone || "\u2014"),
          el("dt", {}, "Node"), el("dd", {}, instance.Node)),
      checksTable(instance.Checks),
      el("div", {class: "actions"},
          el("button", {class: "maintenance", onclick: () => setMaintenance(s.ID, !maintenance)},
              maintenance ? "Maintenance off" : "Maintenance on"),
          el("button", {class: "drain", onclick: () => drain(s.ID)}, "Drain\u2026"),
          el("button", {class: "deregister danger", onclick: () => deregister(s.ID)}, "Deregister")));
}

function checksTable(checks) {
  if (checks.length === 0) return el("p", {class: "muted"}, "No checks: the instance counts as passing.");
  return el("table", {class: "responsive checks"},
      el("thead", {}, el("tr", {}, ["Check", "Status", "Output", "Last run"].map(name => el("th", {scope: "col"},
          name)))),
      el("tbody", {}, checks.map(check => el("tr", {"data-check": check.CheckID},
          el("td", {"data-label": "Check"}, check.Name || check.CheckID, el("div", {class: "muted"}, check.Type)),
          el("td", {"data-label": "Status"}, healthBadge(check.Status)),
          el("td", {"data-label": "Output", class: "output"}, check.Output || check.Notes || ""),
          el("td", {"data-label": "Last run"}, check.LastRun ? new Date(check.LastRun).toLocaleString() : "\u2014")))));
}

async function setMaintenance(id, enable) {
  if (!await confirmAction((enable ? "Put " : "Take ") + id + (enable ? " into" : " out of")
      + " maintenance? In maintenance it gets no traffic.")) return;
  await act("/v1/agent/service/maintenance/" + encodeURIComponent(id) + "?enable=" + enable
      + "&reason=" + encodeURIComponent("from the web UI"));
}

async function drain(id) {
  const period = prompt("Drain " + id + ": it gets no new traffic at once and is deregistered after this period.",
      "30s");
  if (!period || !await confirmAction("Drain " + id + " for " + period + ", then deregister it?")) return;
  await act("/v1/agent/service/drain/" + encodeURIComponent(id) + "?period=" + encodeURIComponent(period));
}

async function deregister(id) {
  if (!await confirmAction("Deregister " + id + "? It leaves every answer at once.")) return;
  await act("/v1/agent/service/deregister/" + encodeURIComponent(id));
}

async function act(path) {
  try {
    await api(path, {method: "PUT"});
  } catch (failure) {
    if (failure instanceof Refused && failure.status >= 400 && failure.status !== 401 && failure.status !== 403) {
      alert("Refused: " + failure.message);
    }
  }
}

function instanceView(service, id) {
  const card = el("div", {id: "instance"}, el("p", {class: "muted"}, "Loading\u2026"));
  const history = el("div", {id: "history"}, el("p", {class: "muted"}, "Reading the change events\u2026"));
  show(el("p", {}, el("a", {href: "#/service/" + encodeURIComponent(service)}, "\u2190 " + service)),
      el("h1", {}, id), card, el("h2", {}, "History"), history);
  let shownIndex = null;
  follow("/v1/internal/ui/service/" + encodeURIComponent(service), (instances, error) => {
    const instance = instances && instances.find(candidate => candidate.Service.ID === id);
    card.replaceChildren(error ? el("p", {class: "notice"}, error)
        : instance ? instanceCard(service, instance, false)
            : el("div", {class: "empty"}, id + " is not registered (any more)."));
    const index = instance ? instance.Service.ModifyIndex : "gone";
    if (index === shownIndex) return;
    shownIndex = index;
    readHistory(service, id).then(rows => history.replaceChildren(historyTable(rows)),
        () => history.replaceChildren(el("p", {class: "notice"}, "The change events cannot be read.")));
  });
}

/**
 * The kept change events of one instance, oldest first and each once (an event may come twice): the stream from its
 * oldest kept event, a page at a time.
 */
async function readHistory(service, id) {
  let from = 0;
  const rows = [];
  for (let page = 0; page < 50; page++) {
    let answer;
    try {
      answer = await api("/v1/events/stream?from=" + from + "&max=1000&wait=1ms");
    } catch (failure) {
      if (failure instanceof Refused && failure.status === 410 && failure.body.OldestPosition > from) {
        from = failure.body.OldestPosition;
        continue;
      }
      throw failure;
    }
    rows.push(...answer.body.Events.filter(event => event.Service === service && event.Instance === id
        && !rows.some(seen => seen.Id === event.Id)));
    if (answer.body.NextPosition === from) break;
    from = answer.body.NextPosition;
  }
  return rows;
}

function historyTable(events) {
  if (events.length === 0) return el("p", {class: "muted"}, "No change of this instance is among the kept events.");
  return el("table", {class: "responsive"},
      el("thead", {}, el("tr", {}, ["Change", "Type", "Health after"].map(name => el("th", {scope: "col"}, name)))),
      el("tbody", {}, events.map(event => el("tr", {},
          el("td", {"data-label": "Change"}, "#" + event.Position),
          el("td", {"data-label": "Type"}, event.Type),
          el("td", {"data-label": "Health after"}, event.State ? healthBadge(worst(event.State.Checks)) : "\u2014")))));
}

function worst(checks) {
  const order = ["passing", "warning", "critical"];
  return checks.reduce((health, check) => order.indexOf(check.Status) > order.indexOf(health) ? check.Status
      : health, "passing");
}

function clusterView() {
  const body = el("div", {id: "cluster"}, el("p", {class: "muted"}, "Loading\u2026"));
  show(el("h1", {}, "Cluster"), body);
  const generation = state.generation;
  const refresh = async () => {
    if (generation !== state.generation) return;
    const [members, leader, autopilot, metrics] = await Promise.allSettled([
      api("/v1/agent/members", {namespaced: false}), api("/v1/status/leader", {namespaced: false}),
      api("/v1/operator/autopilot/health", {namespaced: false}), api("/metrics", {namespaced: false})]);
    if (generation !== state.generation) return;
    body.replaceChildren(
        el("h2", {}, "Members"),
        members.status === "fulfilled" ? membersTable(members.value.body) : el("p", {class: "notice"},
            "The members cannot be read."),
        el("p", {}, "CP leader: ", leader.status === "fulfilled" ? leader.value.body || "none known"
            : "unknown"),
        el("h2", {}, "Autopilot"),
        autopilot.status === "fulfilled" ? autopilotTable(autopilot.value.body) : el("p", {class: "notice"},
            "Autopilot's health needs a management token, or is unhealthy: " + autopilot.reason.message),
        el("h2", {}, "Key metrics"),
        metrics.status === "fulfilled" ? metricsList(metrics.value.body) : el("p", {class: "notice"},
            "The metrics cannot be read."));
    setTimeout(refresh, 2000);
  };
  refresh();
}

function membersTable(members) {
  return el("table", {class: "responsive"},
      el("thead", {}, el("tr", {}, ["Node", "Address", "Role"].map(name => el("th", {scope: "col"}, name)))),
      el("tbody", {}, members.map(member => el("tr", {},
          el("td", {"data-label": "Node"}, member.Name),
          el("td", {"data-label": "Address"}, member.Addr + ":" + member.Port),
          el("td", {"data-label": "Role"}, member.Tags.role === "consul" ? "voter (Raft seat)" : "member")))));
}

function autopilotTable(health) {
  return el("table", {class: "responsive"},
      el("thead", {}, el("tr", {}, ["Server", "Leader", "Voter", "Healthy", "Last contact"]
          .map(name => el("th", {scope: "col"}, name)))),
      el("tbody", {}, (health.Servers || []).map(server => el("tr", {},
          el("td", {"data-label": "Server"}, server.Name || server.ID),
          el("td", {"data-label": "Leader"}, server.Leader ? "yes" : "no"),
          el("td", {"data-label": "Voter"}, server.Voter ? "yes" : "no"),
          el("td", {"data-label": "Healthy"}, healthBadge(server.Healthy ? "passing" : "critical")),
          el("td", {"data-label": "Last contact"}, server.LastContact)))));
}

function metricsList(text) {
  const wanted = ["meridian_services", "meridian_instances", "meridian_checks_completed_total",
    "meridian_http_parked_queries", "meridian_events_queued"];
  const lines = text.split("\n").filter(line => wanted.some(name => line.startsWith(name)));
  return el("pre", {class: "output card", id: "metrics"}, lines.join("\n") || "(none yet)");
}

// ---- navigation ----

async function loadNamespaces() {
  const select = document.getElementById("namespace");
  let names = [state.namespace];
  try {
    names = (await api("/v1/internal/ui/namespaces", {namespaced: false})).body;
  } catch (ignored) {
    // the selector keeps the current namespace; the view says what failed
  }
  if (!names.includes(state.namespace)) names.push(state.namespace);
  select.replaceChildren(...names.sort().map(name => el("option", {value: name, selected: name === state.namespace},
      name)));
}

document.getElementById("namespace").addEventListener("change", event => {
  state.namespace = event.target.value;
  localStorage.setItem("meridian.namespace", state.namespace);
  location.hash = "#/services";
  route();
});

function route() {
  state.generation++;
  const [view, ...rest] = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  document.querySelectorAll("header nav a").forEach(link => link.removeAttribute("aria-current"));
  document.getElementById(view === "cluster" ? "nav-cluster" : "nav-services").setAttribute("aria-current", "page");
  if (view === "service" && rest[0]) serviceView(rest[0]);
  else if (view === "instance" && rest[1]) instanceView(rest[0], rest[1]);
  else if (view === "cluster") clusterView();
  else servicesView();
  loadNamespaces();
}

window.addEventListener("hashchange", route);
route();
