/*
 * Newsdesk archive search: progressive enhancement, hand-written, no build step.
 *
 * On every page: the header's search box is sent to the site's own search page
 * (without JavaScript it goes where its markup says: a web search restricted
 * to the site, or the search page).
 *
 * On the search page: Pagefind's JavaScript API, loaded from the bundle the
 * build writes on first use, finds the stories; this script renders them in
 * the theme's markup. The search lives in the address (?q=…&section=…&author=…
 * &sort=…), so a search can be linked and reloaded.
 */
(function () {
  "use strict";

  var TYPING_DELAY_MS = 250;

  /* The header forms: search here rather than on the fallback web search. */
  function enhanceSearchBoxes() {
    document.querySelectorAll("form[data-search-page]").forEach(function (form) {
      form.setAttribute("action", form.getAttribute("data-search-page"));
      form.querySelectorAll("[data-search-fallback]").forEach(function (input) {
        input.remove();
      });
    });
  }

  /* Pagefind escapes "<" and ">" in excerpts and wraps matched words in
     <mark>; rebuild that as text nodes and <mark> elements, so nothing from
     an article is ever parsed as HTML. */
  function appendExcerpt(parent, excerpt) {
    var parts = String(excerpt || "").split(/(<mark>|<\/mark>)/);
    var marked = false;
    parts.forEach(function (part) {
      if (part === "<mark>") {
        marked = true;
      } else if (part === "</mark>") {
        marked = false;
      } else if (part) {
        var text = document.createTextNode(part.replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
        if (marked) {
          var mark = document.createElement("mark");
          mark.appendChild(text);
          parent.appendChild(mark);
        } else {
          parent.appendChild(text);
        }
      }
    });
  }

  /* The indexed text starts with the headline, so an excerpt may start inside
     it and repeat what the result's title already says ("adopts 2025 budget
     ... list. Lawmakers approved ..."). Drop the headline's last words from the
     start of the excerpt (two or more, or the whole headline; Pagefind ends the
     headline's block with "."), unless they hold the excerpt's only matches. */
  function withoutHeadline(excerpt, title) {
    var text = String(excerpt || "").trim();
    var titleWords = String(title || "").trim().split(/\s+/).filter(Boolean);
    // Words at even indices, the spaces between them at odd ones.
    var tokens = text.split(/(\s+)/);
    var words = tokens.filter(function (token, index) {
      return index % 2 === 0;
    }).map(function (word) {
      return word.replace(/<\/?mark>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
    });
    var last = titleWords[titleWords.length - 1];
    for (var start = 0; start < titleWords.length; start++) {
      var count = titleWords.length - start;
      if ((count < 2 && start > 0) || count >= words.length) {
        continue;
      }
      var matches = words[count - 1] === last || words[count - 1] === last + ".";
      for (var i = 0; matches && i < count - 1; i++) {
        matches = words[i] === titleWords[start + i];
      }
      if (matches) {
        var dropped = tokens.slice(0, 2 * count).join("");
        var rest = tokens.slice(2 * count).join("");
        return dropped.indexOf("<mark>") !== -1 && rest.indexOf("<mark>") === -1 ? text : rest;
      }
    }
    return text;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function renderResult(data) {
    var meta = data.meta || {};
    var item = element("li", "search-result");
    var title = element("h2", "search-result__title");
    var link = element("a", "search-result__link", meta.title || data.url);
    link.href = data.url;
    title.appendChild(link);
    item.appendChild(title);

    var line = element("p", "search-result__meta");
    if (meta.date) {
      var time = element("time", "search-result__date", meta.date);
      if (meta.day) {
        time.setAttribute("datetime", meta.day);
      }
      line.appendChild(time);
    }
    if (meta.section) {
      line.appendChild(element("span", "search-result__section", meta.section));
    }
    item.appendChild(line);

    var excerpt = element("p", "search-result__excerpt");
    appendExcerpt(excerpt, withoutHeadline(data.excerpt, meta.title));
    item.appendChild(excerpt);
    return item;
  }

  function describe(count, state) {
    var text = count === 0 ? "No stories" : count === 1 ? "1 story" : count + " stories";
    if (state.q) {
      text += " found for \u201c" + state.q + "\u201d";
    }
    if (state.section) {
      text += " in " + state.section;
    }
    if (state.author) {
      text += " by " + state.author;
    }
    return text + ".";
  }

  function SearchPage(root) {
    this.root = root;
    this.bundle = root.getAttribute("data-search-bundle");
    this.parts = (root.getAttribute("data-search-parts") || "").split(/\s+/).filter(Boolean);
    this.perPage = parseInt(root.getAttribute("data-search-per-page"), 10) || 10;
    this.excerptWords = parseInt(root.getAttribute("data-search-excerpt-words"), 10) || 30;
    this.form = root.querySelector(".search-form");
    this.query = this.form.elements.q;
    this.status = root.querySelector(".search-status");
    this.list = root.querySelector(".search-results");
    this.more = root.querySelector(".search-more");
    this.pagefind = null;
    this.generation = 0;
    this.results = [];
    this.shown = 0;
    this.timer = null;
  }

  SearchPage.prototype.start = function () {
    var page = this;
    this.form.hidden = false;
    this.readAddress();
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      page.run();
    });
    this.query.addEventListener("input", function () {
      clearTimeout(page.timer);
      page.timer = setTimeout(function () {
        page.run();
      }, TYPING_DELAY_MS);
    });
    this.query.addEventListener("focus", function () {
      page.load().catch(function () {});
    });
    this.form.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () {
        page.run();
      });
    });
    this.more.addEventListener("click", function () {
      page.showMore(page.generation, true);
    });
    if (this.state().q || this.state().section || this.state().author) {
      this.run();
    }
  };

  SearchPage.prototype.state = function () {
    var fields = this.form.elements;
    return {
      q: fields.q.value.trim(),
      section: fields.section.value,
      author: fields.author.value,
      sort: fields.sort.value,
    };
  };

  SearchPage.prototype.readAddress = function () {
    var params = new URLSearchParams(window.location.search);
    var fields = this.form.elements;
    ["q", "section", "author", "sort"].forEach(function (name) {
      var value = params.get(name);
      if (value === null) {
        return;
      }
      var field = fields[name];
      if (field.tagName === "SELECT") {
        var known = Array.prototype.some.call(field.options, function (option) {
          return option.value === value;
        });
        if (!known) {
          return;
        }
      }
      field.value = value;
    });
  };

  SearchPage.prototype.writeAddress = function (state) {
    var params = new URLSearchParams();
    Object.keys(state).forEach(function (name) {
      if (state[name]) {
        params.set(name, state[name]);
      }
    });
    var query = params.toString();
    var address = window.location.pathname + (query ? "?" + query : "");
    window.history.replaceState(null, "", address);
  };

  /* The index comes in parts (an edit re-indexes one part, not the archive),
     listed newest articles first. The newest part's pagefind.js loads the
     search code once; the older parts are merged into it and share it, so each
     adds only its own index files. Every part tags its pages with a "part"
     filter of its name, which a search in date order uses (see `find`). */
  SearchPage.prototype.load = function () {
    if (!this.pagefind) {
      var bundle = this.bundle;
      var parts = this.parts;
      var words = this.excerptWords;
      if (!parts.length) {
        this.pagefind = Promise.resolve(null);
        return this.pagefind;
      }
      this.pagefind = import(bundle + parts[0] + "/pagefind.js").then(function (pagefind) {
        // Searching on the main thread spares readers the 41 KB worker script;
        // a search takes milliseconds, so the page stays responsive.
        return pagefind
          .options({ excerptLength: words, noWorker: true, mergeFilter: { part: parts[0] } })
          .then(function () {
            return Promise.all(
              parts.slice(1).map(function (part) {
                return pagefind.mergeIndex(bundle + part + "/", {
                  excerptLength: words,
                  mergeFilter: { part: part },
                });
              }),
            );
          })
          .then(function () {
            return pagefind;
          });
      });
    }
    return this.pagefind;
  };

  /* The parts a search may take its results from. Pagefind searches each part
     on its own: a word missing from a part makes that part answer for the
     longest indexed word the search word starts with ("471" for "4711"), which
     one index would do only if the word were nowhere. So when every word of
     the search is found exactly in some parts (a quoted search per word, which
     loads no other index files), only the parts holding all of them answer;
     when no part holds them all, every part does. */
  SearchPage.prototype.answeringParts = async function (pagefind, q, filters) {
    var words = (q || "").split(/\s+/).filter(function (word) {
      return word && word.indexOf('"') === -1;
    });
    if (this.parts.length < 2 || !words.length) {
      return this.parts;
    }
    var found = await Promise.all(
      words.map(function (word) {
        return pagefind.search('"' + word + '"', { filters: filters });
      }),
    );
    var answering = this.parts.filter(function (part) {
      return found.every(function (answer) {
        var counts = (answer.filters && answer.filters.part) || {};
        return counts[part] > 0;
      });
    });
    return answering.length ? answering : this.parts;
  };

  /* Pagefind orders merged results by score, and a part's score under a sort
     is only its rank within that part; the parts hold runs of articles in
     publication order, so a search in date order asks each part in turn (its
     "part" filter) and joins the answers in part order. */
  SearchPage.prototype.find = async function (pagefind, q, options) {
    if (!pagefind) {
      return [];
    }
    var parts = await this.answeringParts(pagefind, q, options.filters);
    if (!options.sort) {
      var filters = Object.assign({}, options.filters);
      if (parts.length < this.parts.length) {
        filters.part = { any: parts };
      }
      return (await pagefind.search(q, Object.assign({}, options, { filters: filters }))).results;
    }
    if (options.sort.date === "asc") {
      parts = parts.slice().reverse();
    }
    var answers = await Promise.all(
      parts.map(function (part) {
        var filters = Object.assign({}, options.filters, { part: part });
        return pagefind.search(q, Object.assign({}, options, { filters: filters }));
      }),
    );
    return [].concat.apply(
      [],
      answers.map(function (answer) {
        return answer.results;
      }),
    );
  };

  SearchPage.prototype.clear = function () {
    this.results = [];
    this.shown = 0;
    this.list.replaceChildren();
    this.more.hidden = true;
  };

  SearchPage.prototype.run = async function () {
    clearTimeout(this.timer);
    var generation = ++this.generation;
    var state = this.state();
    this.writeAddress(state);
    if (!state.q && !state.section && !state.author) {
      this.clear();
      this.status.textContent = "";
      return;
    }
    var options = { filters: {} };
    if (state.section) {
      options.filters.section = state.section;
    }
    if (state.author) {
      options.filters.author = state.author;
    }
    if (state.sort === "newest" || (!state.q && state.sort !== "oldest")) {
      options.sort = { date: "desc" };
    } else if (state.sort === "oldest") {
      options.sort = { date: "asc" };
    }
    var results;
    try {
      results = await this.find(await this.load(), state.q || null, options);
    } catch (error) {
      if (generation === this.generation) {
        this.clear();
        this.status.textContent = "Search is not available right now.";
        this.root.querySelector(".search-page__unavailable").hidden = false;
      }
      return;
    }
    if (generation !== this.generation) {
      return;
    }
    this.clear();
    this.results = results;
    await this.showMore(generation, false);
    if (generation === this.generation) {
      this.status.textContent = describe(this.results.length, state);
    }
  };

  SearchPage.prototype.showMore = async function (generation, moveFocus) {
    var next = this.results.slice(this.shown, this.shown + this.perPage);
    var data = await Promise.all(
      next.map(function (result) {
        return result.data();
      }),
    );
    if (generation !== this.generation) {
      return;
    }
    var items = data.map(renderResult);
    items.forEach(function (item) {
      this.list.appendChild(item);
    }, this);
    this.shown += items.length;
    var left = this.results.length - this.shown;
    this.more.hidden = left <= 0;
    this.more.textContent = "More results (" + left + " more)";
    if (moveFocus && items.length) {
      items[0].querySelector("a").focus();
    }
  };

  enhanceSearchBoxes();
  var root = document.querySelector("[data-search-bundle]");
  if (root) {
    new SearchPage(root).start();
  }
})();
