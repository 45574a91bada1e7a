/*
 * Newsdesk comments: hands the static comments over to Isso's live thread.
 * Hand-written, no build step; does nothing until Isso's client has loaded.
 *
 * The page carries the approved comments as static HTML ([data-comments-static])
 * and their count ([data-comments-count]). Isso's client fills #isso-thread with
 * a count heading, the reply form (.isso-postbox) and the comments (#isso-root).
 * This script then:
 *   - when the live thread has loaded: removes the static list (no comment shows
 *     twice) and shows Isso's count in the page's count line;
 *   - orders the thread as the page had it: comments, then "Leave a Reply" and
 *     the form;
 *   - gives every reply form labels, required markers and autocomplete hints.
 * If Isso's client cannot be loaded, the static comments stay and a note
 * ("Comments are unavailable right now.") replaces "Leave a Reply", which has no
 * form to introduce. The client's script is deferred after this one, so its
 * error event cannot fire before the listener below is in place. The same
 * happens when the client loads but Isso's API does not answer it (an error,
 * or an origin Isso's CORS setting does not allow): once the client has
 * loaded, this script asks the API for /config the way the client does, and a
 * failure hides the reply form, which could not post.
 */
(function () {
  "use strict";

  var thread = document.getElementById("isso-thread");
  if (!thread) {
    return;
  }
  var formCount = 0;
  var isUnavailable = false;

  /* The live thread has loaded once Isso has written its count heading. */
  function takeOver() {
    var heading = thread.querySelector(".isso-thread-heading");
    if (!heading || !heading.textContent.trim()) {
      return;
    }
    var staticList = document.querySelector("[data-comments-static]");
    if (staticList) {
      staticList.remove();
    }
    var count = document.querySelector("[data-comments-count]");
    if (count) {
      if (count.textContent !== heading.textContent) {
        count.textContent = heading.textContent;
      }
      count.hidden = false;
      heading.hidden = true;
    }
  }

  /* Comments first, then "Leave a Reply" and the form. */
  function order() {
    var postbox = thread.querySelector(":scope > .isso-postbox");
    var root = document.getElementById("isso-root");
    var respond = document.querySelector("[data-comments-respond]");
    if (!postbox || !root || !respond) {
      return;
    }
    if (respond.nextElementSibling !== postbox) {
      thread.insertBefore(respond, postbox);
    }
    if (root.nextElementSibling !== respond) {
      thread.insertBefore(root, respond);
    }
  }

  function markRequired(label) {
    if (label && !label.querySelector(".comments__required")) {
      var marker = document.createElement("span");
      marker.className = "comments__required";
      marker.setAttribute("aria-hidden", "true");
      marker.textContent = " *";
      label.appendChild(marker);
    }
  }

  /* Labels, required markers and hints for one of Isso's forms. Isso gives every
     form the same ids, so forms after the first get their own. */
  function enhance(postbox) {
    if (postbox.hasAttribute("data-comments-enhanced")) {
      return;
    }
    postbox.setAttribute("data-comments-enhanced", "");
    formCount += 1;
    var suffix = formCount === 1 ? "" : "-" + formCount;
    var fields = [
      ["author", "name", true],
      ["email", "email", true],
      ["website", "url", false],
    ];
    fields.forEach(function (field) {
      var input = postbox.querySelector("input[name='" + field[0] + "']");
      var label = postbox.querySelector("label[for='isso-postbox-" + field[0] + "']");
      if (!input) {
        return;
      }
      input.id = "isso-postbox-" + field[0] + suffix;
      if (label) {
        label.htmlFor = input.id;
      }
      input.setAttribute("autocomplete", field[1]);
      if (field[2]) {
        input.required = true;
        markRequired(label);
      }
    });
    var textarea = postbox.querySelector("textarea");
    if (textarea && !textarea.id) {
      textarea.id = "isso-postbox-text" + suffix;
      textarea.required = true;
      var label = document.createElement("label");
      label.className = "comments__text-label";
      label.htmlFor = textarea.id;
      label.textContent = "Comment";
      markRequired(label);
      textarea.parentNode.insertBefore(label, textarea);
    }
  }

  /* No live thread: keep the static comments, say why there is no form. */
  function unavailable() {
    isUnavailable = true;
    var respond = document.querySelector("[data-comments-respond]");
    var note = document.querySelector("[data-comments-unavailable]");
    if (respond) {
      respond.hidden = true;
    }
    if (note) {
      note.hidden = false;
    }
    thread.querySelectorAll(".isso-postbox").forEach(function (postbox) {
      postbox.hidden = true;
    });
  }

  /* The client has loaded: check that Isso's API answers it. */
  function checkApi() {
    var endpoint = client.getAttribute("data-isso");
    if (!endpoint || !window.fetch) {
      return;
    }
    window
      .fetch(endpoint.replace(/\/$/, "") + "/config", { credentials: "include" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("Isso answered " + response.status);
        }
      })
      .catch(unavailable);
  }

  function update() {
    if (isUnavailable) {
      thread.querySelectorAll(".isso-postbox").forEach(function (postbox) {
        postbox.hidden = true;
      });
      return;
    }
    thread.querySelectorAll(".isso-postbox").forEach(enhance);
    order();
    takeOver();
  }

  var client = document.querySelector("script[data-isso]");
  if (client) {
    client.addEventListener("error", unavailable);
    client.addEventListener("load", checkApi);
  }

  new MutationObserver(update).observe(thread, {
    childList: true,
    subtree: true,
    characterData: true,
  });
  update();
})();
