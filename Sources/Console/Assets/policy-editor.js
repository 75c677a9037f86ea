/* Gatehouse console: the IAM policy editor (visual editor, JSON editor, "Review and create").
   Plain ES2020, no libraries. Builds its DOM with createElement/textContent only: service names,
   ARNs and documents are data, never markup. Mounts into <form id="policy-editor">. */
(function () {
  "use strict";
  const form = document.getElementById("policy-editor");
  if (!form || form.dataset.peReady) return;
  form.dataset.peReady = "1";
  const D = form.dataset;
  const ACCOUNT = D.accountId || "000000000000";
  const CATALOG = (D.catalog || "/console/catalog").replace(/\/+$/, "");
  const CSRF = D.csrf || (form.elements.csrf && form.elements.csrf.value) || "";
  const LEVELS = ["List", "Read", "Tagging", "Write", "Permissions management"];
  const OPERATORS = ["StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringLike", "StringNotLike",
    "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "NumericEquals", "NumericNotEquals", "NumericLessThan",
    "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals", "DateEquals", "DateNotEquals",
    "DateLessThan", "DateGreaterThan", "Bool", "IpAddress", "NotIpAddress", "Null"];
  const QUALIFIERS = [["", "Default"], ["ForAnyValue", "For any value in a request"], ["ForAllValues", "For all values in request"]];
  const GLOBAL_KEYS = [["aws:CurrentTime", "Date"], ["aws:EpochTime", "Numeric"], ["aws:MultiFactorAuthPresent", "Bool"],
    ["aws:PrincipalAccount", "String"], ["aws:PrincipalArn", "ARN"], ["aws:PrincipalTag/${TagKey}", "String"],
    ["aws:RequestedRegion", "String"], ["aws:RequestTag/${TagKey}", "String"], ["aws:ResourceTag/${TagKey}", "String"],
    ["aws:SecureTransport", "Bool"], ["aws:SourceIp", "IPAddress"], ["aws:SourceVpce", "String"],
    ["aws:TagKeys", "ArrayOfString"], ["aws:userid", "String"], ["aws:username", "String"]];
  const DEFAULT_OP = { Date: "DateGreaterThan", Numeric: "NumericEquals", Bool: "Bool", ARN: "ArnLike",
    ArrayOfARN: "ArnLike", IPAddress: "IpAddress" };
  const NAME_RE = /^[\w+=,.@-]{1,128}$/;

  /* ---------- small DOM helpers ---------- */
  function h(tag, props, ...kids) {
    const el = document.createElement(tag);
    for (const k in props || {}) {
      const v = props[k];
      if (v == null || v === false) continue;
      if (k === "class") el.className = v;
      else if (k === "text") el.textContent = v;
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "checked" || k === "value" || k === "disabled" || k === "hidden") el[k] = v;
      else el.setAttribute(k, v === true ? "" : String(v));
    }
    return add(el, kids);
  }
  function add(el, kids) {
    for (const k of kids) {
      if (k == null || k === false) continue;
      if (Array.isArray(k)) add(el, k); else el.append(k instanceof Node ? k : String(k));
    }
    return el;
  }
  let uidN = 0;
  const uid = () => "pe-id" + (++uidN);
  const btn = (text, onclick, props) => h("button", Object.assign({ type: "button", onclick }, props), text);
  const describe = (el, id) => el.setAttribute("aria-describedby", ((el.getAttribute("aria-describedby") || "") + " " + id).trim());
  function field(label, input, hint, err) {
    input.id = input.id || uid();
    const out = h("div", { class: "field pe-field" }, h("label", { for: input.id, text: label }), input);
    if (hint) { const id = uid(); out.append(h("div", { class: "hint", id, text: hint })); describe(input, id); }
    if (err) { const id = uid(); out.append(h("div", { class: "pe-err", id, text: err })); describe(input, id); input.setAttribute("aria-invalid", "true"); }
    return out;
  }
  function checkbox(text, checked, onchange, props) {
    return h("label", { class: "pe-check" },
      h("input", Object.assign({ type: "checkbox", checked, onchange: e => onchange(e.target.checked) }, props)),
      h("span", { text }));
  }
  function select(options, value, onchange, props) {
    const s = h("select", Object.assign({ onchange: e => onchange(e.target.value) }, props));
    for (const o of options) {
      if (o.group) add(s, [h("optgroup", { label: o.group }, o.items.map(i => h("option", { value: i[0], text: i[1] })))]);
      else s.append(h("option", { value: o[0], text: o[1] }));
    }
    s.value = value;
    return s;
  }
  /* Replace a rendered part, keeping keyboard focus on "the same" control (data-k, else its position). */
  const FOCUSABLE = "input, button, select, textarea, a[href]";
  function swap(oldEl, newEl) {
    const a = document.activeElement;
    let key = null, idx = -1, sel = null;
    if (a && oldEl.contains(a)) {
      key = a.getAttribute("data-k");
      idx = Array.prototype.indexOf.call(oldEl.querySelectorAll(FOCUSABLE), a);
      try { if (typeof a.selectionStart === "number") sel = [a.selectionStart, a.selectionEnd]; } catch (e) { /* not a text field */ }
    }
    oldEl.replaceWith(newEl);
    if (key == null && idx < 0) return;
    const all = newEl.querySelectorAll(FOCUSABLE);
    const t = (key && newEl.querySelector('[data-k="' + CSS.escape(key) + '"]')) || all[Math.min(idx, all.length - 1)];
    if (t) {
      t.focus({ preventScroll: true });
      if (sel && t.setSelectionRange) try { t.setSelectionRange(sel[0], sel[1]); } catch (e) { /* ignore */ }
    }
  }
  const asList = v => v === undefined ? [] : Array.isArray(v) ? v : [v];
  const one = list => list.length === 1 ? list[0] : list;
  const isObj = v => v !== null && typeof v === "object" && !Array.isArray(v);
  const pretty = doc => JSON.stringify(doc, null, 4);
  const plural = (n, w) => n + " " + w + (n === 1 ? "" : "s");
  const human = v => v.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/^./, c => c.toUpperCase())
    .replace(/ (\w)/g, (m, c) => " " + c.toLowerCase());
  const wild = p => new RegExp("^" + p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$", "i");

  /* ---------- the catalog ---------- */
  let SERVICES = null, servicesError = "";
  const SVC = new Map();
  const catalogs = new Map();
  async function getJSON(url) {
    const r = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!r.ok) throw new Error("HTTP " + r.status + " from " + url);
    return r.json();
  }
  const cleanName = n => String(n || "").replace(/^(Amazon|AWS) /, "");
  function loadCatalog(prefix) {
    if (!catalogs.has(prefix)) {
      const p = getJSON(CATALOG + "/services/" + encodeURIComponent(prefix)).then(raw => {
        const cat = { prefix: raw.prefix || prefix, name: cleanName(raw.name || prefix), actions: [], byLower: new Map(),
          types: new Map(), conds: (raw.conditions || []).map(c => [String(c[0]), String(c[1] || "String")]) };
        for (const r of raw.resources || []) cat.types.set(String(r[0]), { arn: String(r[1] || ""), conds: r[2] || [] });
        for (const a of raw.actions || []) {
          const act = { name: String(a[0]), level: LEVELS.includes(a[1]) ? a[1] : "Write",
            types: (a[2] || []).map(t => ({ t: String(t).replace(/\*$/, ""), req: /\*$/.test(t) })) };
          for (const t of act.types) if (!cat.types.has(t.t)) cat.types.set(t.t, { arn: "", conds: [] });
          cat.actions.push(act);
          cat.byLower.set(act.name.toLowerCase(), act);
        }
        return cat;
      });
      p.catch(() => catalogs.delete(prefix));
      catalogs.set(prefix, p);
    }
    return catalogs.get(prefix);
  }
  const svcName = prefix => (SVC.get(prefix) || { name: prefix }).name;
  function anyArn(fmt) {
    return fmt.replace(/\$\{(\w+)\}/g, (m, v) => v === "Partition" ? "aws" : v === "Account" ? ACCOUNT : "*");
  }
  function arnPattern(fmt) {
    const parts = fmt.split(/(\$\{\w+\})/);
    return new RegExp("^" + parts.map(p => /^\$\{/.test(p) ? (/Partition|Region|Account/.test(p) ? "[^:]*" : ".+")
      : p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("") + "$");
  }

  /* ---------- state ---------- */
  let seq = 0;
  function newBlock() {
    return { id: ++seq, prefix: null, cat: null, loadError: "", effect: "Allow", all: false, acts: new Set(), extra: [],
      open: new Set(), filter: "", search: "", res: "specific", arns: {}, any: new Set(), other: [], conds: [],
      mfa: false, ip: false, ipText: "", condsOpen: false, condForm: null, collapsed: false, errors: {}, el: null };
  }
  let initial = {};
  try { initial = JSON.parse((document.getElementById("policy-editor-initial") || {}).textContent || "{}") || {}; } catch (e) { initial = {}; }
  const S = {
    step: "loading", mode: "visual", blocks: [], json: "", lastJson: null, jsonMsg: "", error: "", valErrors: [],
    warnings: [], findings: [], findingsTab: null, busy: false, doc: "", name: String(initial.policyName || ""), description: String(initial.description || ""),
    tags: [], nameErr: "", submitted: false
  };
  for (const t of asList(initial.tags)) {
    const k = Array.isArray(t) ? t[0] : t && (t.Key !== undefined ? t.Key : t.key);
    const v = Array.isArray(t) ? t[1] : t && (t.Value !== undefined ? t.Value : t.value);
    if (k !== undefined) S.tags.push({ key: String(k), value: v == null ? "" : String(v) });
  }

  /* ---------- visual blocks -> policy document ---------- */
  function selectedActs(b) { return b.all ? b.cat.actions : [...b.acts].map(n => b.cat.byLower.get(n.toLowerCase())).filter(Boolean); }
  function extraActs(b, x) { const re = wild(x); return b.cat.actions.filter(a => re.test(a.name)); }
  function usedTypes(b) {
    const used = new Map();
    const note = a => { for (const t of a.types) used.set(t.t, used.get(t.t) || t.req); };
    selectedActs(b).forEach(note);
    for (const x of b.extra) extraActs(b, x).forEach(note);
    return [...b.cat.types.keys()].filter(t => used.has(t)).map(t => ({ t, req: used.get(t) }));
  }
  function hasActions(b) { return !!b.cat && (b.all || b.acts.size > 0 || b.extra.length > 0); }
  function resourceList(b) {
    const out = [];
    const push = a => { if (!out.includes(a)) out.push(a); };
    for (const { t } of usedTypes(b)) {
      const fmt = b.cat.types.get(t).arn;
      if (b.any.has(t) && fmt) push(anyArn(fmt));
      (b.arns[t] || []).forEach(push);
    }
    b.other.forEach(push);
    return out;
  }
  function ipList(b) { return b.ipText.split(/[\s,]+/).filter(Boolean); }
  function blockCond(b) {
    const c = {};
    const put = (op, key, vals, arr) => {
      const o = c[op] || (c[op] = {});
      const list = asList(o[key]).slice();
      for (const v of vals) if (!list.includes(v)) list.push(v);
      o[key] = arr ? list : one(list);
    };
    if (b.mfa) put("Bool", "aws:MultiFactorAuthPresent", ["true"]);
    if (b.ip) put("IpAddress", "aws:SourceIp", ipList(b), true);
    for (const x of b.conds) put(x.op, x.key, x.values);
    return Object.keys(c).length ? c : null;
  }
  function blockStatements(b) {
    if (!hasActions(b)) return [];
    const P = b.cat.prefix + ":";
    const cond = blockCond(b);
    const mk = (acts, res) => {
      const s = { Effect: b.effect, Action: one(acts.map(a => a.includes(":") ? a : P + a).sort()), Resource: one(res) };
      if (cond) s.Condition = cond;
      return s;
    };
    const types = usedTypes(b);
    if (b.res !== "specific" || (!types.length && !b.other.length)) {
      return [mk(b.all ? ["*"] : [...b.acts, ...b.extra], ["*"])];
    }
    const withR = [], noR = [];
    const keepAll = b.other.length > 0;
    if (b.all) {
      withR.push("*");
      if (!keepAll) for (const a of b.cat.actions) if (!a.types.length) noR.push(a.name);
    } else {
      for (const n of b.acts) (keepAll || b.cat.byLower.get(n.toLowerCase()).types.length ? withR : noR).push(n);
      for (const x of b.extra) (keepAll || !extraActs(b, x).every(a => !a.types.length) ? withR : noR).push(x);
    }
    const out = [];
    if (withR.length) out.push(mk(withR, resourceList(b)));
    if (noR.length) out.push(mk(noR, ["*"]));
    return out;
  }
  function buildDoc() {
    const st = [];
    for (const b of S.blocks) for (const s of blockStatements(b)) st.push(Object.assign({ Sid: "VisualEditor" + st.length }, s));
    return { Version: "2012-10-17", Statement: st };
  }

  /* ---------- policy document -> visual blocks (or a reason why not) ---------- */
  const canonVal = v => JSON.stringify(v);
  function canonCond(c) {
    if (!isObj(c)) return "";
    return JSON.stringify(Object.keys(c).sort().map(op => [op, Object.keys(c[op] || {}).sort()
      .map(k => [k.toLowerCase(), asList(c[op][k]).map(canonVal).sort()])]));
  }
  function triples(doc) {
    const out = new Set();
    for (const s of asList(doc.Statement)) {
      const c = canonCond(s.Condition);
      for (const a of asList(s.Action)) for (const r of asList(s.Resource)) out.add(JSON.stringify([s.Effect, String(a).toLowerCase(), r, c]));
    }
    return out;
  }
  function posOf(text, msg) {
    const m = /position (\d+)/.exec(msg);
    const lc = /line (\d+) column (\d+)/.exec(msg);
    if (lc) return "Ln " + lc[1] + ", Col " + lc[2] + ": ";
    if (!m) return "";
    const before = text.slice(0, +m[1]).split("\n");
    return "Ln " + before.length + ", Col " + (before[before.length - 1].length + 1) + ": ";
  }
  async function docToBlocks(text) {
    let doc;
    try { doc = JSON.parse(text); } catch (e) {
      throw new Error(posOf(text, e.message) + "The policy is not valid JSON (" + e.message.replace(/\s*\(line \d+ column \d+\)/, "") + "). Fix it to use the visual editor.");
    }
    const no = why => { throw new Error("The visual editor can't show this policy: " + why + " Keep editing it in JSON."); };
    if (!isObj(doc)) no("it is not a JSON object.");
    for (const k of Object.keys(doc)) if (k !== "Version" && k !== "Statement") no('it uses the element "' + k + '".');
    if (doc.Version !== undefined && doc.Version !== "2012-10-17") no('its Version is "' + doc.Version + '" (the visual editor writes 2012-10-17).');
    if (doc.Statement !== undefined && !isObj(doc.Statement) && !Array.isArray(doc.Statement)) no("Statement is not a list of statements.");
    if (!SERVICES) no("the list of services could not be loaded.");
    const blocks = [];
    let i = 0;
    for (const s of asList(doc.Statement)) {
      const n = "statement " + (++i);
      if (!isObj(s)) no(n + " is not an object.");
      for (const k of Object.keys(s)) {
        if (["NotAction", "NotResource", "Principal", "NotPrincipal"].includes(k)) no(n + " uses " + k + ".");
        if (!["Sid", "Effect", "Action", "Resource", "Condition"].includes(k)) no(n + ' has the element "' + k + '".');
      }
      if (s.Sid !== undefined && !/^VisualEditor\d+$/.test(String(s.Sid))) no(n + ' has the Sid "' + s.Sid + '", and the visual editor names statements VisualEditor0, VisualEditor1, ….');
      if (s.Effect !== "Allow" && s.Effect !== "Deny") no(n + ' has no Effect "Allow" or "Deny".');
      const acts = asList(s.Action), res = asList(s.Resource);
      if (!acts.length) no(n + " has no Action.");
      if (s.Resource === undefined) no(n + " has no Resource.");
      if (acts.concat(res).some(v => typeof v !== "string")) no(n + " has an Action or Resource that is not a string.");
      if (res.includes("*") && res.length > 1) no(n + ' mixes "*" with ARNs in Resource.');
      const cond = s.Condition;
      if (cond !== undefined && (!isObj(cond) || Object.values(cond).some(o => !isObj(o) ||
        Object.values(o).some(v => asList(v).some(x => x === null || typeof x === "object"))))) no(n + " has a Condition the visual editor can't read.");
      const groups = new Map();
      for (const a of acts) {
        const m = /^([^:]+):(.+)$/.exec(a);
        if (!m) no(n + ' has the action "' + a + '" (the visual editor works one service at a time).');
        const p = m[1].toLowerCase();
        if (!SVC.has(p)) no(n + ' names the service "' + m[1] + '", which the catalog does not know.');
        if (!groups.has(p)) groups.set(p, []);
        groups.get(p).push(m[2]);
      }
      for (const [p, names] of groups) {
        const b = newBlock();
        b.prefix = p;
        try { b.cat = await loadCatalog(p); } catch (e) { no('the actions of "' + p + '" could not be loaded.'); }
        b.effect = s.Effect;
        for (const nm of names) {
          const a = b.cat.byLower.get(nm.toLowerCase());
          if (nm === "*") b.all = true;
          else if (a) b.acts.add(a.name);
          else if (!b.extra.includes(nm)) b.extra.push(nm);
        }
        if (b.all) { b.acts.clear(); b.extra = []; }
        if (res.includes("*")) b.res = "all";
        else {
          const types = usedTypes(b);
          for (const r of res) {
            const t = types.find(x => b.cat.types.get(x.t).arn && anyArn(b.cat.types.get(x.t).arn) === r);
            if (t) { b.any.add(t.t); continue; }
            const u = types.find(x => b.cat.types.get(x.t).arn && arnPattern(b.cat.types.get(x.t).arn).test(r));
            if (u) (b.arns[u.t] || (b.arns[u.t] = [])).includes(r) || b.arns[u.t].push(r);
            else if (!b.other.includes(r)) b.other.push(r);
          }
        }
        for (const op of Object.keys(cond || {})) for (const key of Object.keys(cond[op])) {
          const vals = asList(cond[op][key]);
          if (op === "Bool" && key === "aws:MultiFactorAuthPresent" && vals.length === 1 && String(vals[0]) === "true" && !b.mfa) b.mfa = true;
          else if (op === "IpAddress" && key === "aws:SourceIp" && !b.ip && vals.every(v => typeof v === "string")) { b.ip = true; b.ipText = vals.join(", "); }
          else b.conds.push({ op, key, values: vals });
        }
        b.condsOpen = b.mfa || b.ip || b.conds.length > 0;
        blocks.push(b);
      }
    }
    /* AWS writes one block as two statements (actions on ARNs, account-level actions on "*"): join them again. */
    for (const b of blocks.slice()) {
      if (b.res !== "all" || b.all || b.extra.length || selectedActs(b).some(a => a.types.length)) continue;
      const c = canonCond(blockCond(b));
      const host = blocks.find(o => o !== b && o.prefix === b.prefix && o.effect === b.effect && o.res === "specific" &&
        usedTypes(o).length && !o.other.length && canonCond(blockCond(o)) === c);
      if (host) { if (!host.all) b.acts.forEach(a => host.acts.add(a)); blocks.splice(blocks.indexOf(b), 1); }
    }
    const saved = S.blocks;
    S.blocks = blocks;
    const same = (() => { const a = triples(doc), z = triples(buildDoc()); return a.size === z.size && [...a].every(x => z.has(x)); })();
    S.blocks = saved;
    if (!same) no("showing it would change what it allows (for example actions without resource types on specific ARNs, or a whole service on specific ARNs only).");
    return blocks.length ? blocks : [newBlock()];
  }

  /* ---------- rendering: the whole editor ---------- */
  const root = h("div", { class: "pe" });
  form.append(root);
  function render() {
    const view = h("div", { class: "pe-wizard" }, stepsNav(), h("div", { class: "pe-main" },
      S.step === "loading" ? h("p", { class: "pe-loading", text: "Loading the policy editor…" })
        : S.step === "review" ? reviewView() : permissionsView()));
    if (root.firstChild) swap(root.firstChild, view); else root.append(view);
    for (const b of S.blocks) if (b.el && b.el.isConnected) applyFilter(b);
  }
  function stepsNav() {
    const cur = S.step === "review" ? 2 : 1;
    return h("nav", { class: "pe-steps", "aria-label": "Steps" }, h("ol", null,
      [["Specify permissions"], ["Review and create"]].map((s, i) => h("li", {
        class: "pe-step" + (i + 1 === cur ? " pe-cur" : i + 1 < cur ? " pe-done" : ""),
        "aria-current": i + 1 === cur ? "step" : null
      }, h("small", { text: "Step " + (i + 1) }), i + 1 < cur ? btn(s[0], () => goStep("permissions"), { class: "pe-link" }) : h("span", { text: s[0] })))));
  }
  function heading(text, desc) {
    return h("div", { class: "pe-title" }, h("h1", { tabindex: "-1", "data-k": "h1", text }), desc && h("p", { class: "pe-desc", text: desc }));
  }
  function alertBox(kind, items, title) {
    if (!items.length) return null;
    return h("div", { class: "alert " + kind + " pe-alert", role: kind === "error" ? "alert" : "status" },
      title && h("strong", { text: title }),
      items.length === 1 && !title ? h("p", { text: items[0] }) : h("ul", null, items.map(t => h("li", { text: t }))));
  }
  function permissionsView() {
    const visual = S.mode === "visual";
    const seg = h("div", { class: "pe-seg", role: "group", "aria-label": "Policy editor mode" },
      btn("Visual", () => setMode("visual"), { "aria-pressed": String(visual), class: visual ? "pe-on" : null, "data-k": "mode-visual" }),
      btn("JSON", () => setMode("json"), { "aria-pressed": String(!visual), class: visual ? null : "pe-on", "data-k": "mode-json" }));
    const body = visual ? h("div", { class: "pe-blocks" }, S.blocks.map(b => (b.el = buildBlock(b))),
      h("div", { class: "pe-more" }, btn("Add more permissions", () => {
        const b = newBlock(); S.blocks.forEach(x => { x.collapsed = true; }); S.blocks.push(b); render();
        const f = b.el && b.el.querySelector("input"); if (f) f.focus();
      }, { class: "pe-add", "data-k": "add-block" })))
      : jsonEditor();
    return h("div", null,
      heading("Specify permissions", "Add permissions by selecting services, actions, resources, and conditions. Build permission statements using the JSON editor."),
      h("section", { class: "panel pe-panel" },
        h("header", { class: "pe-phead" }, h("h2", { text: "Policy editor" }), seg),
        h("div", { class: "pe-pbody" }, body,
          alertBox("error", S.valErrors, S.valErrors.length ? "Fix the errors in the policy to continue." : null),
          S.error ? alertBox("error", [S.error]) : null)),
      h("div", { class: "pe-foot" },
        h("a", { href: D.cancel || "/console/iam/policies", class: "pe-cancel" }, "Cancel"),
        btn("Next", next, { class: "primary", disabled: S.busy, "aria-busy": S.busy ? "true" : null, "data-k": "next" })));
  }
  function jsonEditor() {
    const ta = h("textarea", { class: "pe-json", rows: "25", spellcheck: "false", autocapitalize: "off", autocomplete: "off",
      "aria-label": "Policy editor", "data-k": "json", value: S.json,
      oninput: e => { S.json = e.target.value; count.textContent = countText(); checkSoon(); } });
    const count = h("span", { class: "hint", text: countText() });
    return h("div", { class: "pe-jsonwrap" },
      S.jsonMsg ? alertBox("error", [S.jsonMsg]) : null,
      ta, h("div", { class: "pe-jsonfoot" }, count), findingsPanel());
  }
  /* IAM Access Analyzer's policy validation under the JSON editor, as AWS's
     console shows it: a tab per finding type with its count, re-checked as
     the text changes. */
  const FINDING_TABS = [["SECURITY_WARNING", "Security", "security warnings"], ["ERROR", "Errors", "errors"],
    ["WARNING", "Warnings", "warnings"], ["SUGGESTION", "Suggestions", "suggestions"]];
  let findingsEl = null, checkTimer = null;
  const findingTitle = code => String(code || "").split("_").map(w => w.charAt(0) + w.slice(1).toLowerCase()).join(" ");
  const fmtFinding = f => "Ln " + f.line + ", Col " + f.column + ": " + findingTitle(f.code) + ": " + f.message;
  function findingsPanel() {
    const count = type => S.findings.filter(f => f.type === type).length;
    const tab = S.findingsTab || (FINDING_TABS.find(t => count(t[0])) || FINDING_TABS[0])[0];
    const [, , none] = FINDING_TABS.find(t => t[0] === tab);
    const shown = S.findings.filter(f => f.type === tab);
    const el = h("div", { class: "pe-findings", "data-k": "findings" },
      h("div", { class: "pe-ftabs", role: "tablist", "aria-label": "Policy validation" }, FINDING_TABS.map(([type, label]) =>
        h("button", { type: "button", role: "tab", class: "pe-ftab" + (type === tab ? " pe-on" : ""), "aria-selected": String(type === tab),
          "data-k": "ftab-" + label.toLowerCase(), onclick: () => { S.findingsTab = type; refreshFindings(); } }, label + ": " + count(type)))),
      h("div", { class: "pe-fbody", role: "tabpanel", "aria-live": "polite" }, shown.length
        ? h("ul", { class: "pe-flist" }, shown.map(f => h("li", { class: "pe-f pe-f-" + f.type.toLowerCase() },
          h("span", { class: "pe-fpos", text: "Ln " + f.line + ", Col " + f.column }),
          h("span", null, h("strong", { text: findingTitle(f.code) + ": " }), f.message))))
        : h("p", { class: "hint", text: "No " + none + "." })));
    findingsEl = el;
    return el;
  }
  function refreshFindings() { if (findingsEl && findingsEl.isConnected) swap(findingsEl, findingsPanel()); }
  function checkSoon() {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(async () => {
      const text = S.json, v = await validate(text);
      if (S.mode !== "json" || S.json !== text || !v.checked) return;
      S.findings = v.findings; refreshFindings();
    }, 400);
  }
  function countText() { return S.json.replace(/\s/g, "").length.toLocaleString("en-US") + " of 6,144 characters (not counting white space)"; }

  async function setMode(mode) {
    if (mode === S.mode || S.busy) return;
    S.valErrors = []; S.error = "";
    if (mode === "json") {
      S.json = pretty(buildDoc()); S.lastJson = S.json; S.jsonMsg = ""; S.mode = "json"; render(); checkSoon();
      return;
    }
    if (S.json === S.lastJson) { S.mode = "visual"; S.jsonMsg = ""; render(); return; }
    S.busy = true; render();
    try {
      const blocks = await docToBlocks(S.json);
      S.blocks = blocks; S.mode = "visual"; S.jsonMsg = ""; S.lastJson = null;
    } catch (e) { S.jsonMsg = e.message; }
    S.busy = false; render();
  }

  /* ---------- one permission block ---------- */
  function renderBlock(b) { const el = buildBlock(b); if (b.el && b.el.isConnected) swap(b.el, el); b.el = el; applyFilter(b); }
  function buildBlock(b) {
    const svc = b.prefix ? SVC.get(b.prefix) || { prefix: b.prefix, name: b.prefix } : null;
    const title = svc ? svc.name : "Select a service";
    const count = hasActions(b) ? (b.all ? "All actions" : plural(b.acts.size + b.extra.length, "action")) : "No actions";
    const deny = b.effect === "Deny";
    const bodyId = "pe-b" + b.id;
    const head = h("div", { class: "pe-bhead" },
      btn("", () => { b.collapsed = !b.collapsed; renderBlock(b); }, { class: "pe-tog", "aria-expanded": String(!b.collapsed),
        "aria-controls": bodyId, "aria-label": "Show or hide " + title + " permissions", "data-k": "tog" }),
      h("div", { class: "pe-btitle" }, h("h3", { text: title }),
        svc && h("span", { class: "pe-bsum" }, h("span", { class: "pe-badge" + (deny ? " pe-deny" : ""), text: b.effect }), " " + count)),
      h("div", { class: "pe-bacts" },
        svc && btn(deny ? "Switch to allow" : "Switch to deny", () => { b.effect = deny ? "Allow" : "Deny"; renderBlock(b); }, { "data-k": "effect" }),
        S.blocks.length > 1 && btn("Remove", () => {
          S.blocks.splice(S.blocks.indexOf(b), 1); render();
          const f = root.querySelector(".pe-block .pe-tog"); if (f) f.focus();
        }, { "aria-label": "Remove " + title + " permissions", "data-k": "remove" })));
    const body = h("div", { class: "pe-bbody", id: bodyId, hidden: b.collapsed });
    if (!svc) body.append(serviceChooser(b));
    else {
      body.append(h("div", { class: "pe-row pe-svcrow" }, h("h4", { text: "Service" }),
        h("div", { class: "pe-svcname" }, h("span", { text: svc.name }),
          btn("Change service", () => { Object.assign(b, newBlock(), { id: b.id, el: b.el }); renderBlock(b); const f = b.el.querySelector("input"); if (f) f.focus(); },
            { class: "pe-link", "data-k": "change" }))));
      if (b.loadError) body.append(alertBox("error", [b.loadError]));
      else if (!b.cat) body.append(h("p", { class: "pe-loading", text: "Loading actions…" }));
      else body.append(actionsSection(b), resourcesSection(b), conditionsSection(b));
    }
    return h("section", { class: "pe-block" + (deny ? " pe-isdeny" : ""), "aria-label": title + " permissions" }, head, body);
  }

  function serviceChooser(b) {
    const list = h("ul", { class: "pe-svclist", "aria-label": "Services" });
    const none = h("p", { class: "hint", hidden: true, text: "No service matches." });
    const input = h("input", { type: "search", "aria-label": "Choose a service", placeholder: "Choose a service", autocomplete: "off",
      value: b.search, "data-k": "svc-search",
      oninput: e => { b.search = e.target.value; filterServices(list, none, b.search); },
      onkeydown: e => {
        if (e.key === "Enter") { e.preventDefault(); const f = [...list.querySelectorAll("button")].find(x => !x.closest("li").hidden); if (f) f.click(); }
        if (e.key === "ArrowDown") { e.preventDefault(); const f = [...list.querySelectorAll("button")].find(x => !x.closest("li").hidden); if (f) f.focus(); }
      } });
    list.addEventListener("keydown", e => {
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
      const shown = [...list.querySelectorAll("button")].filter(x => !x.closest("li").hidden);
      const i = shown.indexOf(document.activeElement);
      if (i < 0) return;
      e.preventDefault();
      if (e.key === "ArrowUp" && i === 0) input.focus(); else if (shown[i + (e.key === "ArrowDown" ? 1 : -1)]) shown[i + (e.key === "ArrowDown" ? 1 : -1)].focus();
    });
    if (SERVICES) {
      for (const s of SERVICES) list.append(h("li", { "data-q": (s.name + " " + s.prefix).toLowerCase() }, btn(s.name, () => chooseService(b, s.prefix), { class: "pe-svcbtn" })));
      filterServices(list, none, b.search);
    }
    return h("div", { class: "pe-row pe-chooser" }, h("h4", { text: "Service" }),
      h("p", { class: "hint", text: "Specify what actions can be performed on specific resources in a service." }),
      input,
      servicesError ? alertBox("error", [servicesError]) : !SERVICES ? h("p", { class: "pe-loading", text: "Loading services…" }) : null,
      list, none);
  }
  function filterServices(list, none, q) {
    q = q.trim().toLowerCase();
    let n = 0;
    for (const li of list.children) {
      li.hidden = !!q && !li.getAttribute("data-q").includes(q);
      li.firstChild.tabIndex = li.hidden || n ? -1 : 0;
      if (!li.hidden) n++;
    }
    none.hidden = n > 0 || !SERVICES;
  }
  function chooseService(b, prefix) {
    b.prefix = prefix; b.cat = null; b.loadError = ""; b.errors = {};
    renderBlock(b);
    loadCatalog(prefix).then(cat => { if (b.prefix === prefix) b.cat = cat; }, e => { b.loadError = "Could not load the actions of " + svcName(prefix) + ": " + e.message; })
      .then(() => {
        if (b.prefix !== prefix) return;
        renderBlock(b);
        const f = b.el.querySelector('[data-k="filter"]') || b.el.querySelector('[data-k="change"]');
        if (f) f.focus();
      });
  }

  function actionsSection(b) {
    const name = b.cat.name || svcName(b.prefix);
    const deny = b.effect === "Deny";
    const sec = h("div", { class: "pe-row pe-actions" },
      h("h4", { text: deny ? "Actions denied" : "Actions allowed" }),
      h("p", { class: "hint", text: deny ? "Specify actions from the service to be denied." : "Specify actions from the service to be allowed." }),
      b.errors.actions && h("p", { class: "pe-err", role: "alert", text: b.errors.actions }),
      h("input", { type: "search", class: "pe-filter", "aria-label": "Filter actions", placeholder: "Filter actions", autocomplete: "off",
        value: b.filter, "data-k": "filter", oninput: e => { b.filter = e.target.value; applyFilter(b, true); } }),
      checkbox("All " + name + " actions (" + b.cat.prefix + ":*)", b.all, on => {
        b.all = on; b.acts.clear(); if (!on) b.extra = []; renderBlock(b);
      }, { "data-k": "all" }),
      h("h5", { text: "Access level" }));
    for (const level of LEVELS) {
      const acts = b.cat.actions.filter(a => a.level === level);
      if (!acts.length) continue;
      const n = b.all ? acts.length : acts.filter(a => b.acts.has(a.name)).length;
      const open = b.open.has(level);
      const gid = "pe-b" + b.id + "-" + level.replace(/\W/g, "");
      const items = h("div", { class: "pe-acts", id: gid, hidden: !open },
        acts.map(a => h("div", { class: "pe-act", "data-q": a.name.toLowerCase() }, checkbox(a.name, b.all || b.acts.has(a.name), on => {
          if (b.all) { b.all = false; b.cat.actions.forEach(x => b.acts.add(x.name)); }
          if (on) b.acts.add(a.name); else b.acts.delete(a.name);
          renderBlock(b);
        }, { "data-k": "act:" + a.name }))));
      sec.append(h("div", { class: "pe-level", "data-level": level },
        btn(level + " (" + n + "/" + acts.length + ")", () => {
          if (b.open.has(level)) b.open.delete(level); else b.open.add(level);
          renderBlock(b);
        }, { class: "pe-exp", "aria-expanded": String(open), "aria-controls": gid, "data-k": "lvl:" + level }), items));
    }
    if (b.extra.length) {
      sec.append(h("div", { class: "pe-extra" }, h("h5", { text: "Other actions in this statement" }),
        h("p", { class: "hint", text: "Wildcards or actions the catalog doesn't list; they are kept as written." }),
        h("ul", { class: "pe-list" }, b.extra.map(x => h("li", null, h("code", { text: b.cat.prefix + ":" + x }),
          btn("Remove", () => { b.extra.splice(b.extra.indexOf(x), 1); renderBlock(b); }, { class: "pe-link", "aria-label": "Remove " + b.cat.prefix + ":" + x }))))));
    }
    return sec;
  }
  function applyFilter(b, typing) {
    if (!b.el || !b.cat) return;
    const q = b.filter.trim().toLowerCase();
    for (const lv of b.el.querySelectorAll(".pe-level")) {
      let n = 0;
      for (const it of lv.querySelectorAll(".pe-act")) { it.hidden = !!q && !it.getAttribute("data-q").includes(q); if (!it.hidden) n++; }
      lv.hidden = !!q && n === 0;
      if (q && typing && n) {
        const level = lv.getAttribute("data-level");
        b.open.add(level);
        lv.querySelector(".pe-acts").hidden = false;
        lv.querySelector(".pe-exp").setAttribute("aria-expanded", "true");
      }
    }
  }

  function resourcesSection(b) {
    const sec = h("div", { class: "pe-row pe-res" }, h("h4", { text: "Resources" }));
    if (!hasActions(b)) { sec.append(h("p", { class: "hint", text: "Specify actions to choose the resources they apply to." })); return sec; }
    const types = usedTypes(b);
    if (!types.length && !b.other.length) {
      sec.append(h("p", { class: "hint", text: "The selected actions don't support resource-level permissions, so they apply to all resources (*)." }));
      return sec;
    }
    const name = "pe-res-" + b.id;
    const radio = (value, text, hint) => h("label", { class: "pe-radio" },
      h("input", { type: "radio", name, value, checked: b.res === value, "data-k": "res:" + value,
        onchange: () => { b.res = value; b.errors = {}; renderBlock(b); } }),
      h("span", null, h("span", { text }), h("small", { class: "hint", text: hint })));
    sec.append(h("div", { class: "pe-radios", role: "radiogroup", "aria-label": "Resources" },
      radio("specific", "Specific", "Allow access to specific resources."),
      radio("all", "All", "Allow access to all resources of these actions.")));
    if (b.res !== "specific") return sec;
    const tbl = h("div", { class: "pe-rtable" });
    for (const { t, req } of types) {
      const info = b.cat.types.get(t);
      const users = selectedActs(b).filter(a => a.types.some(x => x.t === t)).map(a => a.name);
      const arns = b.arns[t] || [];
      const err = b.errors["type:" + t];
      tbl.append(h("div", { class: "pe-rrow" + (err ? " pe-rbad" : "") },
        h("div", { class: "pe-rname" }, h("strong", { text: t }),
          h("small", { class: "hint", text: (req ? "Required" : "Optional") + (users.length ? " for " + users[0] + (users.length > 1 ? " and " + (users.length - 1) + " more" : "") : "") })),
        h("div", { class: "pe-rctl" },
          h("div", { class: "pe-rbtns" },
            btn("Add ARNs", () => arnDialog(b, t), { disabled: !info.arn, "data-k": "addarn:" + t }),
            info.arn && checkbox("Any in this account", b.any.has(t), on => {
              if (on) b.any.add(t); else b.any.delete(t); delete b.errors["type:" + t]; renderBlock(b);
            }, { "data-k": "any:" + t })),
          b.any.has(t) && info.arn ? h("code", { class: "pe-arn", text: anyArn(info.arn) }) : null,
          arns.length ? h("ul", { class: "pe-list" }, arns.map(a => h("li", null, h("code", { class: "pe-arn", text: a }),
            btn("Remove", () => { arns.splice(arns.indexOf(a), 1); renderBlock(b); }, { class: "pe-link", "aria-label": "Remove " + a })))) : null,
          err && h("p", { class: "pe-err", role: "alert", text: err }))));
    }
    if (b.other.length) {
      tbl.append(h("div", { class: "pe-rrow" }, h("div", { class: "pe-rname" }, h("strong", { text: "Other ARNs" }),
        h("small", { class: "hint", text: "Kept as written" })),
      h("div", { class: "pe-rctl" }, h("ul", { class: "pe-list" }, b.other.map(a => h("li", null, h("code", { class: "pe-arn", text: a }),
        btn("Remove", () => { b.other.splice(b.other.indexOf(a), 1); renderBlock(b); }, { class: "pe-link", "aria-label": "Remove " + a })))))));
    }
    sec.append(tbl);
    return sec;
  }

  function arnDialog(b, t) {
    const fmt = b.cat.types.get(t).arn;
    const vars = [...new Set((fmt.match(/\$\{\w+\}/g) || []).map(v => v.slice(2, -1)))].filter(v => v !== "Partition");
    const st = { vals: { Account: ACCOUNT }, any: new Set(), manual: false, err: "" };
    const build = () => fmt.replace(/\$\{(\w+)\}/g, (m, v) => v === "Partition" ? "aws" : st.any.has(v) ? "*" : (st.vals[v] || m));
    const titleId = uid();
    const arnInput = h("input", { type: "text", class: "pe-mono", value: build(), oninput: () => { st.manual = true; } });
    const sync = () => { if (!st.manual) arnInput.value = build(); };
    const errEl = h("p", { class: "pe-err", role: "alert", hidden: true });
    const rows = vars.map(v => {
      const label = human(v);
      const input = h("input", { type: "text", value: st.vals[v] || "", oninput: e => { st.vals[v] = e.target.value; st.manual = false; sync(); } });
      return h("div", { class: "pe-arnvar" }, field(label, input),
        checkbox("Any " + label.toLowerCase(), false, on => {
          if (on) st.any.add(v); else st.any.delete(v);
          input.disabled = on; st.manual = false; sync();
        }));
    });
    const dlg = h("dialog", { class: "pe-dialog", "aria-labelledby": titleId },
      h("h2", { id: titleId, text: "Specify ARNs" }),
      h("p", { class: "hint" }, "Resource type: ", h("code", { text: t }), " — ", h("code", { text: fmt })),
      rows, field("Resource ARN", arnInput, "The ARN is built from the fields above; you can also type it."), errEl,
      h("div", { class: "pe-foot" },
        btn("Cancel", () => dlg.close()),
        btn("Add ARNs", () => {
          const arn = arnInput.value.trim();
          const bad = !/^arn:[^:]*:[^:]*:[^:]*:[^:]*:.+/.test(arn) ? "Enter a valid ARN (arn:partition:service:region:account:resource)."
            : /\$\{/.test(arn) ? "Fill in every field, or choose its “Any” checkbox." : "";
          if (bad) { errEl.textContent = bad; errEl.hidden = false; return; }
          const list = b.arns[t] || (b.arns[t] = []);
          if (!list.includes(arn)) list.push(arn);
          delete b.errors["type:" + t];
          dlg.close();
        }, { class: "primary" })));
    dlg.addEventListener("close", () => {
      dlg.remove(); renderBlock(b);
      const f = b.el.querySelector('[data-k="' + CSS.escape("addarn:" + t) + '"]'); if (f) f.focus();
    });
    form.append(dlg);
    if (dlg.showModal) dlg.showModal(); else dlg.setAttribute("open", "");
  }

  function conditionsSection(b) {
    const id = "pe-b" + b.id + "-cond";
    const n = b.conds.length + (b.mfa ? 1 : 0) + (b.ip ? 1 : 0);
    const sec = h("div", { class: "pe-row pe-conds" },
      h("div", { class: "pe-level" }, btn("Request conditions - optional" + (n ? " (" + n + ")" : ""), () => { b.condsOpen = !b.condsOpen; renderBlock(b); },
        { class: "pe-exp pe-h4", "aria-expanded": String(b.condsOpen), "aria-controls": id, "data-k": "conds" })));
    if (!b.condsOpen) return sec;
    const inner = h("div", { id, class: "pe-condbody" },
      checkbox("MFA required", b.mfa, on => { b.mfa = on; renderBlock(b); }, { "data-k": "mfa" }),
      h("p", { class: "hint pe-sub", text: "Require multi-factor authentication (aws:MultiFactorAuthPresent)." }),
      checkbox("Source IP", b.ip, on => { b.ip = on; delete b.errors.ip; renderBlock(b); }, { "data-k": "ip" }),
      b.ip && h("div", { class: "pe-sub" }, field("IP addresses or CIDR ranges",
        h("input", { type: "text", value: b.ipText, "data-k": "iptext", placeholder: "203.0.113.0/24", oninput: e => { b.ipText = e.target.value; } }),
        "Separate several with commas (aws:SourceIp).", b.errors.ip)));
    if (b.conds.length) {
      inner.append(h("table", { class: "list pe-ctable" },
        h("thead", null, h("tr", null, ["Condition key", "Operator", "Value", ""].map(c => h("th", { scope: "col", text: c })))),
        h("tbody", null, b.conds.map((c, i) => h("tr", null, h("td", null, h("code", { text: c.key })), h("td", { text: c.op }),
          h("td", { text: c.values.map(String).join(", ") }),
          h("td", null, btn("Remove", () => { b.conds.splice(i, 1); renderBlock(b); }, { class: "pe-link", "aria-label": "Remove condition " + c.key })))))));
    }
    if (!b.condForm) {
      inner.append(btn("Add another condition", () => { b.condForm = { key: "", tag: "", qual: "", op: "StringEquals", value: "", err: "" }; renderBlock(b); const f = b.el.querySelector('[data-k="ckey"]'); if (f) f.focus(); }, { "data-k": "addcond" }));
    } else inner.append(conditionForm(b));
    sec.append(inner);
    return sec;
  }
  function conditionForm(b) {
    const f = b.condForm;
    const svcKeys = b.cat.conds.filter(c => !GLOBAL_KEYS.some(g => g[0] === c[0]));
    const types = new Map(GLOBAL_KEYS.concat(b.cat.conds));
    const keySel = select([["", "Choose a condition key"], { group: b.cat.name + " keys", items: svcKeys.map(c => [c[0], c[0]]) },
      { group: "Global condition keys", items: GLOBAL_KEYS.map(c => [c[0], c[0]]) }].filter(o => !o.group || o.items.length), f.key, v => {
      f.key = v; f.op = DEFAULT_OP[types.get(v)] || "StringEquals"; renderBlock(b);
    }, { "data-k": "ckey" });
    const needsTag = f.key.includes("${TagKey}");
    const bad = f.err;
    return h("div", { class: "pe-condform", role: "group", "aria-label": "Add condition" },
      field("Condition key", keySel),
      needsTag && field("Tag key", h("input", { type: "text", value: f.tag, "data-k": "ctag", oninput: e => { f.tag = e.target.value; } })),
      field("Qualifier", select(QUALIFIERS, f.qual, v => { f.qual = v; }, { "data-k": "cqual" })),
      field("Operator", select(OPERATORS.map(o => [o, o]), f.op, v => { f.op = v; }, { "data-k": "cop" })),
      field("Value", h("input", { type: "text", value: f.value, "data-k": "cval", oninput: e => { f.value = e.target.value; },
        onkeydown: e => { if (e.key === "Enter") { e.preventDefault(); addCondition(b); } } }),
      f.op === "Bool" || f.op === "Null" ? "true or false" : null),
      bad && h("p", { class: "pe-err", role: "alert", text: bad }),
      h("div", { class: "pe-btnrow" },
        btn("Add condition", () => addCondition(b), { class: "primary", "data-k": "cadd" }),
        btn("Cancel", () => { b.condForm = null; renderBlock(b); const x = b.el.querySelector('[data-k="addcond"]'); if (x) x.focus(); }, { "data-k": "ccancel" })));
  }
  function addCondition(b) {
    const f = b.condForm;
    const tag = f.tag.trim(), value = f.value.trim();
    f.err = !f.key ? "Choose a condition key." : f.key.includes("${TagKey}") && !tag ? "Enter the tag key." : !value ? "Enter a value." : "";
    if (f.err) { renderBlock(b); return; }
    const key = f.key.replace("${TagKey}", tag);
    const op = (f.qual ? f.qual + ":" : "") + f.op;
    const same = b.conds.find(c => c.op === op && c.key === key);
    if (same) { if (!same.values.includes(value)) same.values.push(value); } else b.conds.push({ op, key, values: [value] });
    b.condForm = null;
    renderBlock(b);
    const x = b.el.querySelector('[data-k="addcond"]'); if (x) x.focus();
  }

  /* ---------- Next: check, validate on the server, go to Review ---------- */
  function checkBlocks() {
    let any = false, first = null;
    for (const b of S.blocks) {
      b.errors = {};
      if (!hasActions(b)) continue;
      any = true;
      if (b.res === "specific") {
        const types = usedTypes(b);
        const none = !resourceList(b).length;
        for (const { t, req } of types) {
          if ((req || none) && !b.any.has(t) && !(b.arns[t] || []).length) {
            b.errors["type:" + t] = "Add ARNs for " + t + " or choose Any in this account.";
            first = first || b;
          }
        }
      }
      if (b.ip && !ipList(b).length) { b.errors.ip = "Enter at least one IP address or CIDR range."; first = first || b; b.condsOpen = true; }
    }
    if (!any) S.error = "Specify at least one action: choose a service and the actions to allow.";
    return !any || !!first;
  }
  async function validate(text) {
    try {
      const r = await fetch(D.validate || "/console/iam/policy-validation", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body: new URLSearchParams({ csrf: CSRF, PolicyDocument: text }).toString()
      });
      const v = await r.json().catch(() => ({}));
      if (!Array.isArray(v.errors) && !r.ok) throw new Error("HTTP " + r.status);
      return { errors: asList(v.errors), findings: asList(v.findings), checked: true };
    } catch (e) { return { errors: [], findings: [], checked: false }; }
  }
  const fmtIssue = x => (x && x.line ? "Ln " + x.line + ", Col " + (x.column || 1) + ": " : "") + (x && x.message || String(x));
  async function next() {
    if (S.busy) return;
    S.error = ""; S.valErrors = []; S.jsonMsg = "";
    let text;
    if (S.mode === "visual") {
      if (checkBlocks()) {
        render();
        const e = root.querySelector('.pe-err[role="alert"], .pe-alert');
        if (e) e.scrollIntoView({ block: "center" });
        return;
      }
      text = pretty(buildDoc());
    } else text = S.json;
    S.busy = true; render();
    const v = await validate(text);
    S.busy = false;
    let local = "";
    try { JSON.parse(text); } catch (e) { local = posOf(text, e.message) + e.message.replace(/\s*\(line \d+ column \d+\)/, ""); }
    if (!v.errors.length && local) v.errors = [local];
    if (v.errors.length) {
      S.valErrors = v.errors.map(fmtIssue);
      render();
      const e = root.querySelector(".pe-alert"); if (e) e.scrollIntoView({ block: "center" });
      return;
    }
    S.doc = text;
    S.findings = v.findings;
    S.warnings = v.findings.map(fmtFinding).concat(v.checked ? [] : ["The policy could not be checked now; IAM checks it when you create it."]);
    goStep("review");
  }
  function goStep(step) {
    S.step = step;
    render();
    window.scrollTo(0, 0);
    const t = root.querySelector("h1"); if (t) t.focus({ preventScroll: true });
  }

  /* ---------- Review and create ---------- */
  let summaryFor = null, summary = null, sumBoxEl = null;
  function reviewView() {
    const max = 50;
    const nameInput = h("input", { type: "text", name: "PolicyName", value: S.name, autocomplete: "off", "data-k": "name",
      oninput: e => { S.name = e.target.value; } });
    const descInput = h("textarea", { name: "Description", rows: "3", maxlength: "1000", value: S.description, "data-k": "desc",
      oninput: e => { S.description = e.target.value; } });
    const sumBox = h("div", { class: "pe-pbody", "aria-live": "polite" }, summary && summaryFor === S.doc ? summaryTables(summary)
      : h("p", { class: "pe-loading", text: "Loading the summary…" }));
    sumBoxEl = sumBox;
    if (summaryFor !== S.doc) {
      summaryFor = S.doc; summary = null;
      const doc = S.doc;
      buildSummary(doc).then(s => { if (summaryFor === doc) { summary = s; sumBoxEl.replaceChildren(...summaryTables(s)); } });
    }
    const tagRows = S.tags.map((t, i) => h("div", { class: "pe-tag" },
      field("Key", h("input", { type: "text", name: "Tags.member." + (i + 1) + ".Key", value: t.key, maxlength: "128", "data-k": "tagk" + i,
        oninput: e => { t.key = e.target.value; } }), null, t.err),
      field("Value - optional", h("input", { type: "text", name: "Tags.member." + (i + 1) + ".Value", value: t.value, maxlength: "256", "data-k": "tagv" + i,
        oninput: e => { t.value = e.target.value; } })),
      btn("Remove", () => { S.tags.splice(i, 1); render(); }, { class: "pe-tagrm", "aria-label": "Remove tag " + (i + 1), "data-k": "tagrm" + i })));
    return h("div", null,
      heading("Review and create", "Review the permissions, specify details, and tags."),
      alertBox("info", S.warnings, S.warnings.length ? "Policy validation" : null),
      h("section", { class: "panel pe-panel" }, h("header", { class: "pe-phead" }, h("h2", { text: "Policy details" })),
        h("div", { class: "pe-pbody pe-narrow" },
          field("Policy name", nameInput, "Maximum 128 characters. Use alphanumeric and '+=,.@-_' characters.", S.nameErr),
          field("Description - optional", descInput, "Maximum 1,000 characters."))),
      h("section", { class: "panel pe-panel" }, h("header", { class: "pe-phead" }, h("h2", { text: "Permissions defined in this policy" }),
        btn("Edit", () => goStep("permissions"), { "aria-label": "Edit permissions" })),
        sumBox),
      h("section", { class: "panel pe-panel" }, h("header", { class: "pe-phead" }, h("div", null, h("h2", { text: "Add tags - optional" }),
        h("p", { class: "hint", text: "Tags are key-value pairs that you can add to AWS resources to help identify, organize, or search for resources." }))),
        h("div", { class: "pe-pbody" },
          tagRows.length ? tagRows : h("p", { class: "hint", text: "No tags associated with the resource." }),
          btn("Add new tag", () => { S.tags.push({ key: "", value: "" }); render(); const k = root.querySelector('[data-k="tagk' + (S.tags.length - 1) + '"]'); if (k) k.focus(); },
            { disabled: S.tags.length >= max, "data-k": "addtag" }),
          h("p", { class: "hint", text: "You can add up to " + (max - S.tags.length) + " more tags." }))),
      h("div", { class: "pe-foot" },
        h("a", { href: D.cancel || "/console/iam/policies", class: "pe-cancel" }, "Cancel"),
        btn("Previous", () => { S.nameErr = ""; goStep("permissions"); }, { "data-k": "prev" }),
        h("button", { type: "submit", class: "primary", "data-k": "submit", disabled: S.submitted }, D.submitLabel || "Create policy")));
  }
  async function buildSummary(text) {
    let doc;
    try { doc = JSON.parse(text); } catch (e) { return { Allow: [], Deny: [], note: "The policy is not valid JSON." }; }
    const rows = new Map();
    for (const s of asList(isObj(doc) ? doc.Statement : [])) {
      if (!isObj(s)) continue;
      const effect = s.Effect === "Deny" ? "Deny" : "Allow";
      const not = s.Action === undefined;
      const res = s.Resource !== undefined ? asList(s.Resource).map(r => r === "*" ? "All resources" : String(r)) : ["All resources except " + asList(s.NotResource).join(", ")];
      const conds = [];
      if (isObj(s.Condition)) for (const op in s.Condition) if (isObj(s.Condition[op])) for (const k in s.Condition[op]) conds.push(k);
      for (const a of asList(not ? s.NotAction : s.Action)) {
        const m = /^([^:]+):(.*)$/.exec(String(a));
        const p = a === "*" ? "*" : m ? m[1].toLowerCase() : String(a);
        const key = effect + "|" + (not ? "not:" : "") + p;
        if (!rows.has(key)) rows.set(key, { effect, prefix: p, not, pats: [], res: [], conds: [] });
        const r = rows.get(key);
        r.pats.push(a === "*" ? "*" : m ? m[2] : "");
        for (const x of res) if (!r.res.includes(x)) r.res.push(x);
        for (const x of conds) if (!r.conds.includes(x)) r.conds.push(x);
      }
    }
    const out = { Allow: [], Deny: [] };
    for (const r of rows.values()) {
      let name = r.prefix === "*" ? "All services" : svcName(r.prefix), level = "";
      if (r.not) { name = "All services except " + name + " actions listed"; level = "See the JSON"; }
      else if (r.prefix === "*" || r.pats.includes("*")) level = "Full access";
      else {
        let cat = null;
        try { if (SVC.has(r.prefix)) cat = await loadCatalog(r.prefix); } catch (e) { cat = null; }
        if (!cat) level = "Unknown service";
        else {
          const res = r.pats.map(wild);
          const got = cat.actions.filter(a => res.some(re => re.test(a.name)));
          if (got.length === cat.actions.length) level = "Full access";
          else {
            const full = [], lim = [];
            for (const l of LEVELS) {
              const all = cat.actions.filter(a => a.level === l), g = got.filter(a => a.level === l);
              if (g.length) (g.length === all.length ? full : lim).push(l);
            }
            level = [full.length ? "Full: " + full.join(", ") : "", lim.length ? "Limited: " + lim.join(", ") : ""].filter(Boolean).join(" ") || "None";
          }
        }
      }
      out[r.effect].push({ name, level, res: r.res.length > 3 ? ["Multiple"] : r.res, conds: r.conds.length ? r.conds : ["None"] });
    }
    for (const k in out) out[k].sort((a, z) => a.name.localeCompare(z.name));
    return out;
  }
  function summaryTables(s) {
    const parts = [];
    if (s.note) parts.push(alertBox("error", [s.note]));
    for (const effect of ["Allow", "Deny"]) {
      const rows = s[effect];
      if (!rows.length) continue;
      parts.push(h("h3", { class: "pe-sumh", text: effect + " (" + rows.length + " of " + (SERVICES ? SERVICES.length : rows.length) + " services)" }),
        h("table", { class: "list pe-sum" },
          h("thead", null, h("tr", null, ["Service", "Access level", "Resource", "Request condition"].map(c => h("th", { scope: "col", text: c })))),
          h("tbody", null, rows.map(r => h("tr", null, h("td", { text: r.name }), h("td", { text: r.level }),
            h("td", null, r.res.map(x => h("div", { class: /^arn:/.test(x) ? "pe-arn" : null, text: x }))),
            h("td", null, r.conds.map(x => h("div", { text: x }))))))));
    }
    if (!parts.length) parts.push(h("p", { class: "hint", text: "This policy defines no permissions." }));
    return parts;
  }

  /* ---------- submission: one POST, with PolicyDocument and the tags ---------- */
  const ALLOWED = /^(csrf|PolicyName|Description|PolicyDocument|Tags\.member\.\d+\.(Key|Value))$/;
  form.addEventListener("submit", e => {
    /* A refused submission stops here, so console.js's "posts once" guard never counts it. */
    const refuse = () => { e.preventDefault(); e.stopImmediatePropagation(); };
    if (S.step !== "review" || S.submitted) { refuse(); return; }
    S.nameErr = !S.name ? "Enter a policy name." : S.name.length > 128 ? "The policy name can have at most 128 characters."
      : !NAME_RE.test(S.name) ? "Use only alphanumeric characters and '+=,.@-_' in the policy name." : "";
    let bad = !!S.nameErr;
    S.tags.forEach(t => { t.err = !t.key.trim() ? "Enter a key, or remove this tag." : ""; bad = bad || !!t.err; });
    if (S.description.length > 1000) bad = true;
    if (bad) {
      refuse(); render();
      const f = root.querySelector('[aria-invalid="true"]'); if (f) f.focus();
      return;
    }
    let hidden = form.querySelector('input[type="hidden"][name="PolicyDocument"]');
    if (!hidden) { hidden = h("input", { type: "hidden", name: "PolicyDocument" }); form.append(hidden); }
    hidden.value = S.doc;
    for (const el of form.elements) if (el.name && !ALLOWED.test(el.name)) el.disabled = true;
    S.submitted = true;
    const sb = root.querySelector('button[type="submit"]');
    if (sb) { sb.disabled = true; sb.setAttribute("aria-busy", "true"); }
  });
  window.addEventListener("pageshow", e => {
    if (!e.persisted || !S.submitted) return;
    S.submitted = false;
    delete form.dataset.submitted;
    for (const el of form.elements) el.disabled = false;
    render();
  });

  /* ---------- start ---------- */
  async function start() {
    render();
    try {
      const list = await getJSON(CATALOG + "/services");
      SERVICES = asList(list).filter(s => s && s.prefix).map(s => ({ prefix: String(s.prefix), name: cleanName(s.name || s.prefix) }));
      SERVICES.forEach(s => SVC.set(s.prefix.toLowerCase(), s));
    } catch (e) { servicesError = "Could not load the list of services: " + e.message; }
    let text = initial.document;
    if (text != null && typeof text !== "string") text = pretty(text);
    if (text) {
      S.json = text;
      try { S.blocks = await docToBlocks(text); S.mode = "visual"; } catch (e) { S.blocks = [newBlock()]; S.mode = "json"; S.jsonMsg = e.message; }
    } else S.blocks = [newBlock()];
    if (initial.step === "review" && text) { S.doc = text; S.step = "review"; } else S.step = "permissions";
    render();
  }
  start();
})();
