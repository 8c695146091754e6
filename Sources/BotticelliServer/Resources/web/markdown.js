// Renders the Markdown that models write (paragraphs, headings, lists, quotes, fenced code, inline code, emphasis,
// links) into DOM nodes. Model output is untrusted: every piece of text becomes a text node and no string is ever
// parsed as HTML, so a reply containing <script> or <img onerror> shows as those characters.
"use strict";

const Markdown = (() => {
  const safeLinkProtocols = ["http:", "https:", "mailto:"];

  function element(tag, children) {
    const node = document.createElement(tag);
    for (const child of children || []) node.append(child);
    return node;
  }

  // Inline syntax: `code`, **strong**, __strong__, *em*, _em_, [text](url), <https://autolinks>.
  function inline(text) {
    const nodes = [];
    let plain = "";
    const flush = () => {
      if (plain) nodes.push(document.createTextNode(plain));
      plain = "";
    };
    let index = 0;
    while (index < text.length) {
      const rest = text.slice(index);
      let match;
      if ((match = /^(`+)([\s\S]*?[^`])\1(?!`)/.exec(rest))) {
        flush();
        nodes.push(element("code", [match[2].trim() || match[2]]));
      } else if ((match = /^(\*\*|__)(?=\S)([\s\S]*?\S)\1/.exec(rest))) {
        flush();
        nodes.push(element("strong", inline(match[2])));
      } else if ((match = /^(\*|_)(?=\S)([\s\S]*?\S)\1(?![\*_\w])/.exec(rest))
        && !(match[1] === "_" && /\w/.test(text[index - 1] || ""))) {
        flush();
        nodes.push(element("em", inline(match[2])));
      } else if ((match = /^\[([^\]\n]+)\]\(([^)\s]+)\)/.exec(rest))) {
        flush();
        nodes.push(link(match[1], match[2]));
      } else if ((match = /^<(https?:\/\/[^>\s]+)>/.exec(rest))) {
        flush();
        nodes.push(link(match[1], match[1]));
      } else {
        plain += text[index];
        index += 1;
        continue;
      }
      index += match[0].length;
    }
    flush();
    return nodes;
  }

  function link(label, target) {
    let url = null;
    try {
      url = new URL(target, window.location.href);
    } catch (_) {
      url = null;
    }
    if (!url || !safeLinkProtocols.includes(url.protocol)) {
      // Not a link we would follow (javascript:, data:, …): show what was written.
      return document.createTextNode(`[${label}](${target})`);
    }
    const anchor = element("a", inline(label));
    anchor.href = url.href;
    anchor.rel = "noopener noreferrer nofollow";
    anchor.target = "_blank";
    return anchor;
  }

  function paragraph(lines) {
    const node = document.createElement("p");
    lines.forEach((line, position) => {
      if (position > 0) node.append(document.createElement("br"));
      node.append(...inline(line));
    });
    return node;
  }

  const listItem = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
  const fence = /^\s*(```+|~~~+)\s*([\w+#.-]*)\s*$/;

  // Block syntax, line by line. An unterminated fence (a reply still streaming) runs to the end.
  function blocks(source) {
    const lines = source.replace(/\r\n?/g, "\n").split("\n");
    const out = [];
    let index = 0;
    while (index < lines.length) {
      const line = lines[index];
      let match;
      if ((match = fence.exec(line))) {
        const marker = match[1];
        const code = [];
        index += 1;
        while (index < lines.length && !lines[index].trim().startsWith(marker)) {
          code.push(lines[index]);
          index += 1;
        }
        index += 1;
        const codeNode = element("code", [code.join("\n")]);
        if (match[2]) {
          codeNode.className = "language-" + match[2].replace(/[^\w+#.-]/g, "");
          codeNode.dataset.language = match[2];
        }
        out.push(element("pre", [codeNode]));
      } else if (/^\s*$/.test(line)) {
        index += 1;
      } else if ((match = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line))) {
        out.push(element("h" + Math.min(match[1].length + 2, 6), inline(match[2])));
        index += 1;
      } else if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
        out.push(document.createElement("hr"));
        index += 1;
      } else if (/^\s*>/.test(line)) {
        const quoted = [];
        while (index < lines.length && /^\s*>/.test(lines[index])) {
          quoted.push(lines[index].replace(/^\s*>\s?/, ""));
          index += 1;
        }
        out.push(element("blockquote", blocks(quoted.join("\n"))));
      } else if ((match = listItem.exec(line))) {
        const ordered = /\d/.test(match[2]);
        const list = document.createElement(ordered ? "ol" : "ul");
        if (ordered && parseInt(match[2], 10) !== 1) list.start = parseInt(match[2], 10);
        while (index < lines.length) {
          const item = listItem.exec(lines[index]);
          if (!item || /\d/.test(item[2]) !== ordered) break;
          const body = [item[3]];
          index += 1;
          // Indented lines continue the item.
          while (index < lines.length && /^\s{2,}\S/.test(lines[index]) && !listItem.exec(lines[index])) {
            body.push(lines[index].trim());
            index += 1;
          }
          list.append(element("li", [paragraphContent(body)]));
        }
        out.push(list);
      } else {
        const text = [];
        while (index < lines.length && !/^\s*$/.test(lines[index]) && !fence.test(lines[index])
          && !/^(#{1,6})\s/.test(lines[index]) && !(text.length > 0 && listItem.test(lines[index]))
          && !/^\s*>/.test(lines[index])) {
          text.push(lines[index]);
          index += 1;
        }
        out.push(paragraph(text));
      }
    }
    return out;
  }

  function paragraphContent(lines) {
    const fragment = document.createDocumentFragment();
    lines.forEach((line, position) => {
      if (position > 0) fragment.append(document.createElement("br"));
      fragment.append(...inline(line));
    });
    return fragment;
  }

  // Replaces the children of `target` with `source` rendered.
  function render(source, target) {
    target.replaceChildren(...blocks(source));
  }

  return { render };
})();
