// Botticelli's web page: chat over /v1/chat/completions (streamed), the model registry over /registry and
// /api/pull, and the server's load over /status. Plain browser JavaScript, no build step, no outside requests.
"use strict";

const $ = (selector) => document.querySelector(selector);

// ---------------------------------------------------------------------------------------------------------------
// Talking to the server

const api = {
  keyStorage: "botticelli.apiKey",

  get key() {
    return sessionStorage.getItem(this.keyStorage) || "";
  },

  set key(value) {
    if (value) sessionStorage.setItem(this.keyStorage, value);
    else sessionStorage.removeItem(this.keyStorage);
  },

  // fetch with the API key; a 401 asks for the key once and retries. Network failures mark the server unreachable.
  async request(path, options = {}) {
    for (let attempt = 0; ; attempt += 1) {
      const headers = new Headers(options.headers || {});
      if (this.key) headers.set("Authorization", "Bearer " + this.key);
      if (options.body && !headers.has("Content-Type")) headers.set("Content-Type", "application/json");
      let response;
      try {
        response = await fetch(path, { ...options, headers });
      } catch (error) {
        if (error.name === "AbortError") throw error;
        connection.lost();
        throw new Error("cannot reach the server: is botticelli_server still running?");
      }
      connection.reached();
      if (response.status === 401 && attempt < 3) {
        const message = await errorMessage(response);
        await keyDialog.ask(this.key ? message : "");
        continue;
      }
      return response;
    }
  },

  async json(path, options) {
    const response = await this.request(path, options);
    if (!response.ok) throw new Error(await errorMessage(response));
    return response.json();
  },
};

// The error text from an OpenAI-shaped ({"error": {"message"}}) or Ollama-shaped ({"error": "…"}) body.
async function errorMessage(response) {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text);
    if (typeof body.error === "string") return body.error;
    if (body.error && body.error.message) return body.error.message;
  } catch (_) {
    // Not JSON: fall through to the text.
  }
  return text || `the server answered ${response.status} ${response.statusText}`;
}

// Reads a streamed body line by line (server-sent events and JSON lines both end lines with \n).
async function* lines(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, end).replace(/\r$/, "");
      buffered = buffered.slice(end + 1);
      yield line;
    }
  }
  buffered += decoder.decode();
  if (buffered) yield buffered;
}

const connection = {
  down: false,
  timer: null,

  lost() {
    if (this.down) return;
    this.down = true;
    const label = $("#connection");
    label.textContent = "server unreachable";
    label.classList.add("down");
    const banner = $("#banner");
    banner.textContent = `Cannot reach the server at ${window.location.origin}. Is botticelli_server still `
      + "running? Retrying every few seconds; what you typed is kept.";
    banner.hidden = false;
    this.timer = setInterval(() => this.probe(), 3000);
  },

  reached() {
    if (!this.down) return;
    this.down = false;
    clearInterval(this.timer);
    $("#banner").hidden = true;
    $("#connection").classList.remove("down");
    refreshConnectionLabel();
    loadModels();
  },

  async probe() {
    try {
      const response = await fetch("/health", { cache: "no-store" });
      if (response.ok) this.reached();
    } catch (_) {
      // Still down.
    }
  },
};

const keyDialog = {
  pending: null,

  ask(message) {
    if (this.pending) return this.pending;
    const dialog = $("#api-key-dialog");
    $("#api-key-error").textContent = message ? "That key was refused: " + message : "";
    $("#api-key-error").hidden = !message;
    $("#api-key-button").hidden = false;
    this.pending = new Promise((resolve) => {
      dialog.addEventListener("close", () => {
        api.key = $("#api-key-input").value.trim();
        this.pending = null;
        resolve();
      }, { once: true });
    });
    if (!dialog.open) dialog.showModal();
    $("#api-key-input").focus();
    return this.pending;
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Numbers as people read them

function formatBytes(bytes) {
  if (bytes === null || bytes === undefined) return "unknown";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value >= 100 || unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

// ---------------------------------------------------------------------------------------------------------------
// Tabs

const views = ["chat", "models", "status"];

function show(view) {
  for (const name of views) {
    const selected = name === view;
    $(`#tab-${name}`).setAttribute("aria-selected", String(selected));
    $(`#tab-${name}`).tabIndex = selected ? 0 : -1;
    $(`#view-${name}`).hidden = !selected;
  }
  if (view === "models") loadRegistry();
  if (view === "status") statusView.start();
  else statusView.stop();
  if (view === "chat") $("#message-input").focus();
  history.replaceState(null, "", "#" + view);
}

function setUpTabs() {
  for (const name of views) $(`#tab-${name}`).addEventListener("click", () => show(name));
  $(".tabs").addEventListener("keydown", (event) => {
    const current = views.findIndex((name) => $(`#tab-${name}`).getAttribute("aria-selected") === "true");
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    const next = views[(current + step + views.length) % views.length];
    show(next);
    $(`#tab-${next}`).focus();
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Conversations, kept in local storage

const store = {
  chatsKey: "botticelli.chats",
  settingsKey: "botticelli.settings",

  loadChats() {
    try {
      const chats = JSON.parse(localStorage.getItem(this.chatsKey) || "[]");
      return Array.isArray(chats) ? chats.filter((chat) => chat && Array.isArray(chat.messages)) : [];
    } catch (_) {
      return [];
    }
  },

  saveChats(chats) {
    try {
      localStorage.setItem(this.chatsKey, JSON.stringify(chats));
    } catch (error) {
      showChatError("could not save the conversation in this browser: " + error.message);
    }
  },

  loadSettings() {
    try {
      return JSON.parse(localStorage.getItem(this.settingsKey) || "{}") || {};
    } catch (_) {
      return {};
    }
  },

  saveSettings(settings) {
    localStorage.setItem(this.settingsKey, JSON.stringify(settings));
  },
};

const state = {
  chats: [],
  current: null,
  generating: null, // { controller, chat, message }
};

function newChat() {
  const chat = { id: crypto.randomUUID ? crypto.randomUUID() : String(Date.now()), title: "New chat",
    created: Date.now(), messages: [] };
  state.chats.unshift(chat);
  state.current = chat;
  store.saveChats(state.chats);
  renderChatList();
  renderMessages();
  $("#message-input").focus();
}

function openChat(chat) {
  if (state.generating) stopGenerating();
  state.current = chat;
  renderChatList();
  renderMessages();
}

function deleteChat(chat) {
  if (state.generating && state.generating.chat === chat) stopGenerating();
  state.chats = state.chats.filter((other) => other !== chat);
  store.saveChats(state.chats);
  if (state.current === chat) {
    if (state.chats.length) state.current = state.chats[0];
    else return newChat();
  }
  renderChatList();
  renderMessages();
}

function renderChatList() {
  const list = $("#chat-list");
  list.replaceChildren(...state.chats.map((chat) => {
    const item = document.createElement("li");
    if (chat === state.current) item.className = "current";
    const open = document.createElement("button");
    open.type = "button";
    open.className = "open-chat";
    open.textContent = chat.title;
    open.title = chat.title;
    if (chat === state.current) open.setAttribute("aria-current", "true");
    open.addEventListener("click", () => openChat(chat));
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "delete-chat quiet";
    remove.textContent = "✕";
    remove.setAttribute("aria-label", `Delete the chat “${chat.title}”`);
    remove.addEventListener("click", () => deleteChat(chat));
    item.append(open, remove);
    return item;
  }));
}

function messageNode(message) {
  const item = document.createElement("li");
  item.className = `message ${message.role}` + (message.error ? " error" : "");
  const content = document.createElement("div");
  content.className = "content";
  item.append(content);
  fillMessage(item, message);
  return item;
}

function fillMessage(item, message) {
  const content = item.querySelector(".content");
  if (message.role === "assistant" && !message.error) Markdown.render(message.content, content);
  else content.textContent = message.content;
  let stats = item.querySelector(".stats");
  if (message.stats) {
    if (!stats) {
      stats = document.createElement("div");
      stats.className = "stats";
      item.append(stats);
    }
    stats.textContent = describeStats(message.stats);
  }
}

function describeStats(stats) {
  const parts = [];
  if (stats.model) parts.push(stats.model);
  if (stats.tokens !== undefined) parts.push(`${stats.tokens} tokens`);
  if (stats.tokensPerSecond) parts.push(`${stats.tokensPerSecond.toFixed(1)} tokens/s`);
  if (stats.firstTokenMs !== undefined) parts.push(`first token ${Math.round(stats.firstTokenMs)} ms`);
  if (stats.stopped) parts.push("stopped");
  else if (stats.finishReason === "length") parts.push("cut at the token limit");
  return parts.join(" · ");
}

function renderMessages() {
  const list = $("#messages");
  const messages = state.current ? state.current.messages : [];
  list.replaceChildren(...messages.map(messageNode));
  $("#chat-empty").hidden = messages.length > 0;
  list.scrollTop = list.scrollHeight;
}

function showChatError(text) {
  const node = $("#chat-error");
  node.textContent = text;
  node.hidden = !text;
}

// ---------------------------------------------------------------------------------------------------------------
// Settings

function readSettings() {
  return {
    model: $("#model-picker").value,
    system: $("#system-prompt").value,
    temperature: parseFloat($("#temperature").value),
    maxTokens: parseInt($("#max-tokens").value, 10),
  };
}

function setUpSettings() {
  const saved = store.loadSettings();
  if (typeof saved.system === "string") $("#system-prompt").value = saved.system;
  if (Number.isFinite(saved.temperature)) $("#temperature").value = saved.temperature;
  if (Number.isInteger(saved.maxTokens)) $("#max-tokens").value = saved.maxTokens;
  const showTemperature = () => { $("#temperature-value").textContent = $("#temperature").value; };
  showTemperature();
  for (const id of ["#system-prompt", "#temperature", "#max-tokens", "#model-picker"]) {
    $(id).addEventListener("change", () => store.saveSettings(readSettings()));
  }
  $("#temperature").addEventListener("input", showTemperature);
}

// The picker lists the models the server serves, then the cached ones it does not have loaded.
async function loadModels() {
  const picker = $("#model-picker");
  const wanted = picker.value || store.loadSettings().model;
  try {
    const served = (await api.json("/v1/models")).data.map((model) => model.id);
    let cached = [];
    try {
      const registry = await api.json("/registry");
      cached = registry.models.filter((model) => model.downloaded && !served.includes(model.id)).map((m) => m.id);
    } catch (_) {
      // A server without a cache: only what it serves.
    }
    const option = (id, label) => {
      const node = document.createElement("option");
      node.value = id;
      node.textContent = label;
      return node;
    };
    const groups = [];
    const loaded = document.createElement("optgroup");
    loaded.label = "Loaded";
    loaded.append(...served.map((id) => option(id, id)));
    groups.push(loaded);
    if (cached.length) {
      const other = document.createElement("optgroup");
      other.label = "Downloaded";
      other.append(...cached.map((id) => option(id, id)));
      groups.push(other);
    }
    picker.replaceChildren(...groups);
    if (wanted && [...served, ...cached].includes(wanted)) picker.value = wanted;
  } catch (error) {
    showChatError("could not list the models: " + error.message);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Sending and streaming

function setGenerating(generating) {
  $("#send").hidden = generating;
  $("#stop").hidden = !generating;
}

async function send(text) {
  if (!text.trim() || state.generating) return;
  showChatError("");
  const chat = state.current;
  const settings = readSettings();
  if (!settings.model) await loadModels();
  const model = $("#model-picker").value;
  if (chat.messages.length === 0) chat.title = text.trim().split("\n")[0].slice(0, 60);
  chat.messages.push({ role: "user", content: text });
  const reply = { role: "assistant", content: "" };
  chat.messages.push(reply);
  store.saveChats(state.chats);
  renderChatList();
  renderMessages();
  const list = $("#messages");
  const item = list.lastElementChild;
  item.classList.add("streaming");

  const conversation = chat.messages.slice(0, -1).filter((message) => !message.error)
    .map((message) => ({ role: message.role, content: message.content }));
  if (settings.system.trim()) conversation.unshift({ role: "system", content: settings.system });
  const body = {
    model,
    messages: conversation,
    stream: true,
    stream_options: { include_usage: true },
    temperature: Number.isFinite(settings.temperature) ? settings.temperature : 0.7,
  };
  if (Number.isInteger(settings.maxTokens) && settings.maxTokens > 0) body.max_tokens = settings.maxTokens;

  const controller = new AbortController();
  state.generating = { controller, chat, message: reply };
  setGenerating(true);
  const started = performance.now();
  let firstToken = null;
  let pieces = 0;
  let timings = null;
  let usage = null;
  let finishReason = null;
  let scheduled = false;
  const paint = () => {
    scheduled = false;
    fillMessage(item, reply);
    list.scrollTop = list.scrollHeight;
  };
  try {
    const response = await api.request("/v1/chat/completions", {
      method: "POST", body: JSON.stringify(body), signal: controller.signal,
    });
    if (!response.ok) throw new Error(await errorMessage(response));
    for await (const line of lines(response)) {
      if (!line.startsWith("data:")) continue;
      const data = line.slice(5).trim();
      if (data === "[DONE]") break;
      const chunk = JSON.parse(data);
      if (chunk.error) throw new Error(chunk.error.message || String(chunk.error));
      if (chunk.usage) usage = chunk.usage;
      if (chunk.timings) timings = chunk.timings;
      for (const choice of chunk.choices || []) {
        if (choice.finish_reason) finishReason = choice.finish_reason;
        const piece = choice.delta && choice.delta.content;
        if (!piece) continue;
        if (firstToken === null) firstToken = performance.now();
        pieces += 1;
        reply.content += piece;
        if (!scheduled) {
          scheduled = true;
          requestAnimationFrame(paint);
        }
      }
    }
    const ended = performance.now();
    const tokens = usage ? usage.completion_tokens : timings ? timings.predicted_n : pieces;
    const generationSeconds = firstToken === null ? 0 : (ended - firstToken) / 1000;
    reply.stats = {
      model,
      tokens,
      tokensPerSecond: timings && timings.predicted_per_second
        ? timings.predicted_per_second : generationSeconds > 0 ? Math.max(tokens - 1, 1) / generationSeconds : 0,
      firstTokenMs: firstToken === null ? undefined : firstToken - started,
      finishReason,
    };
  } catch (error) {
    if (error.name === "AbortError") {
      reply.stats = { model, tokens: pieces, stopped: true,
        firstTokenMs: firstToken === null ? undefined : firstToken - started };
    } else {
      reply.error = true;
      reply.content = (reply.content ? reply.content + "\n\n" : "") + "Error: " + error.message;
    }
  } finally {
    state.generating = null;
    setGenerating(false);
    item.classList.remove("streaming");
    if (!reply.content && !reply.error) reply.content = reply.stats && reply.stats.stopped ? "" : "(no reply)";
    store.saveChats(state.chats);
    if (state.current === chat) paint();
    if (state.current === chat) $("#message-input").focus();
  }
}

function stopGenerating() {
  if (state.generating) state.generating.controller.abort();
}

function setUpComposer() {
  const input = $("#message-input");
  $("#composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim() || state.generating) return;
    input.value = "";
    send(text);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("#composer").requestSubmit();
    } else if (event.key === "Escape") {
      stopGenerating();
    }
  });
  $("#stop").addEventListener("click", stopGenerating);
  $("#new-chat").addEventListener("click", () => {
    if (state.generating) stopGenerating();
    newChat();
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Models: the registry, downloads and deletions

const downloads = new Map(); // name → row of progress

async function loadRegistry() {
  const message = $("#models-message");
  try {
    const catalog = await api.json("/registry");
    message.hidden = true;
    renderMachine(catalog);
    renderRegistry(catalog.models);
  } catch (error) {
    message.textContent = "could not read the registry: " + error.message;
    message.hidden = false;
  }
}

function renderMachine(catalog) {
  const machine = catalog.machine;
  const node = $("#machine");
  const line = (label, value) => {
    const row = document.createElement("div");
    const strong = document.createElement("strong");
    strong.textContent = label + ": ";
    row.append(strong, value);
    return row;
  };
  const rows = [
    line("Memory", `${formatBytes(machine.total_memory_bytes)} total, `
      + `${formatBytes(machine.available_memory_bytes)} available`),
    line("Disk", `${formatBytes(machine.free_disk_bytes)} free at ${machine.cache_directory}`),
    line("CPU cores", String(machine.cpu_cores)),
  ];
  rows.push(line("Recommended", catalog.recommendation
    ? `${catalog.recommendation.id}: ${catalog.recommendation.reason}` : "no model in the registry fits this machine"));
  node.replaceChildren(...rows);
}

function renderRegistry(models) {
  const body = $("#models-table tbody");
  body.replaceChildren(...models.map((model) => {
    const row = document.createElement("tr");
    row.dataset.modelId = model.id;
    if (model.recommended) row.classList.add("recommended");
    const name = document.createElement("td");
    name.className = "model-name";
    const title = document.createElement("span");
    title.textContent = model.id;
    const detail = document.createElement("small");
    detail.textContent = model.name + (model.problems.length ? " — " + model.problems.join("; ") : "");
    name.append(title, detail);
    const actions = document.createElement("td");
    const buttons = document.createElement("div");
    buttons.className = "actions";
    if (!model.downloaded) {
      const download = document.createElement("button");
      download.type = "button";
      download.className = "download";
      download.textContent = "Download";
      download.setAttribute("aria-label", `Download ${model.id}`);
      download.disabled = downloads.has(model.id);
      download.addEventListener("click", () => pull(model.id));
      buttons.append(download);
    } else {
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "delete quiet";
      remove.textContent = "Delete";
      remove.setAttribute("aria-label", `Delete ${model.id} from the cache`);
      remove.addEventListener("click", () => removeModel(model.id));
      buttons.append(remove);
    }
    actions.append(buttons);
    row.append(
      name, cell(model.quantization), cell(formatBytes(model.size_bytes), "number"),
      cell(formatBytes(model.ram_bytes), "number"), cell(model.fits, "fits fits-" + model.fits),
      cell(model.downloaded ? "yes" : "no", "downloaded"), actions);
    return row;
  }));
}

function progressRow(name) {
  const row = document.createElement("div");
  row.className = "pull";
  row.dataset.model = name;
  const label = document.createElement("span");
  label.className = "pull-name";
  label.textContent = name;
  const bar = document.createElement("progress");
  bar.max = 100;
  bar.value = 0;
  bar.setAttribute("aria-label", `Download of ${name}`);
  const text = document.createElement("span");
  text.className = "pull-status";
  text.setAttribute("aria-live", "polite");
  text.textContent = "starting";
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "quiet";
  cancel.textContent = "Cancel";
  row.append(label, bar, text, cancel);
  return { row, bar, text, cancel };
}

// Streams /api/pull's JSON lines into a progress bar. Cancelling drops the connection, which stops the download;
// the next download of the same model resumes from what arrived.
async function pull(name) {
  if (!name || downloads.has(name)) return;
  const message = $("#models-message");
  message.hidden = true;
  const view = progressRow(name);
  const controller = new AbortController();
  view.cancel.addEventListener("click", () => controller.abort());
  $("#pull-progress-area").append(view.row);
  downloads.set(name, view);
  loadRegistryButtons();
  try {
    const response = await api.request("/api/pull", {
      method: "POST", body: JSON.stringify({ model: name, stream: true }), signal: controller.signal,
    });
    if (!response.ok) throw new Error(await errorMessage(response));
    let finished = false;
    for await (const line of lines(response)) {
      if (!line.trim()) continue;
      const event = JSON.parse(line);
      if (event.error) throw new Error(event.error);
      if (event.total) {
        const percent = Math.floor((100 * (event.completed || 0)) / event.total);
        view.bar.value = percent;
        view.text.textContent = `${percent}% of ${formatBytes(event.total)}`;
      } else if (event.status) {
        view.text.textContent = event.status === "success" ? "100% — done" : event.status;
      }
      if (event.status === "success") {
        finished = true;
        view.bar.value = 100;
      }
    }
    if (!finished) throw new Error("the download stopped before it finished; download again to resume it");
    view.cancel.remove();
    view.row.classList.add("done");
    loadModels();
  } catch (error) {
    view.row.classList.add("failed");
    view.text.textContent = error.name === "AbortError"
      ? "cancelled; download again to resume" : "failed: " + error.message;
    view.cancel.remove();
  } finally {
    downloads.delete(name);
    loadRegistry();
  }
}

function loadRegistryButtons() {
  for (const row of document.querySelectorAll("#models-table tbody tr")) {
    const button = row.querySelector("button.download");
    if (button) button.disabled = downloads.has(row.dataset.modelId);
  }
}

async function removeModel(name) {
  if (!window.confirm(`Delete ${name} from the model cache? It can be downloaded again.`)) return;
  const message = $("#models-message");
  try {
    const response = await api.request("/api/delete", { method: "DELETE", body: JSON.stringify({ model: name }) });
    if (!response.ok) throw new Error(await errorMessage(response));
    message.hidden = true;
    loadModels();
  } catch (error) {
    message.textContent = `could not delete ${name}: ${error.message}`;
    message.hidden = false;
  }
  loadRegistry();
}

function setUpModels() {
  $("#pull-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const name = $("#pull-name").value.trim();
    if (!name) return;
    $("#pull-name").value = "";
    pull(name);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Status

const statusView = {
  timer: null,

  start() {
    this.refresh();
    if (!this.timer) this.timer = setInterval(() => this.refresh(), 2000);
  },

  stop() {
    clearInterval(this.timer);
    this.timer = null;
  },

  async refresh() {
    try {
      const status = await api.json("/status");
      const uptime = status.uptime_seconds;
      const summary = $("#status-summary");
      summary.textContent = `Botticelli ${status.version}, up ${Math.floor(uptime / 3600)} h `
        + `${Math.floor((uptime % 3600) / 60)} min. Busy sequences: ${status.busy_sequences}; `
        + `queued requests: ${status.queued_requests}.`;
      $("#status-table tbody").replaceChildren(...status.models.map((model) => {
        const row = document.createElement("tr");
        row.dataset.modelId = model.id;
        row.append(
          cell(`${model.id} (${model.architecture}, ${model.quantization})`),
          cell(`${model.context_size} tokens`, "number"),
          cell(`${model.busy_sequences} of ${model.parallel_sequences}`, "number busy"),
          cell(`${model.queued_requests} of ${model.queue_capacity}`, "number queued"),
          cell(formatBytes(model.size_bytes), "number"));
        return row;
      }));
    } catch (error) {
      $("#status-summary").textContent = "could not read the status: " + error.message;
    }
  },
};

async function refreshConnectionLabel() {
  try {
    const status = await api.json("/status");
    const models = status.models.map((model) => model.id).join(", ");
    $("#connection").textContent = `connected · ${models || "no model loaded"}`;
    $("#tab-models").hidden = !status.manages_models;
  } catch (_) {
    // api.request marked it unreachable, or the status says why in the view.
  }
}

// ---------------------------------------------------------------------------------------------------------------

function start() {
  setUpTabs();
  setUpSettings();
  setUpComposer();
  setUpModels();
  $("#api-key-button").addEventListener("click", () => keyDialog.ask(""));
  if (api.key) $("#api-key-button").hidden = false;
  state.chats = store.loadChats();
  if (state.chats.length) {
    state.current = state.chats[0];
    renderChatList();
    renderMessages();
  } else {
    newChat();
  }
  const initial = views.includes(location.hash.slice(1)) ? location.hash.slice(1) : "chat";
  show(initial);
  refreshConnectionLabel();
  loadModels();
}

start();
