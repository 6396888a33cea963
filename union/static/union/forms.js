/* The site's POST forms, on every page of the portal and of the member spaces (templates/base.html
   loads this file, deferred; Wagtail's admin has its own scripts and does not load it).

   1. Sent once. A double click, or a second click while a slow answer is awaited, posted the form
      twice. Once a form is being sent, another submit of it is cancelled; its buttons say they
      are busy (aria-disabled) and a status region, in the page from the start so that screen
      readers follow it, reads « Envoi en cours… ». The buttons are not `disabled`: a disabled
      button's name and value would be left out of the POST, and some forms have several named
      buttons. A form may opt out with `data-submit-twice`.
   2. Kept across a lost session. A form sent after the session ended is answered by the sign-in
      page (union.middleware.sign_in_redirect, LoginView's form marked `data-sign-in`), and the
      form found after signing in was empty. What was typed is kept in sessionStorage when the
      form is sent, under the address it is sent to; on the sign-in page whose `next` is that
      address, the draft waits; back on that address, it is typed into the form again and a
      notice says so. A form refused as expired (templates/403_csrf.html: a token changed by a
      sign-in in another tab) keeps its draft the same way until the form is opened again from
      that page. Any other page drops it: a form sent successfully leads elsewhere, a form sent
      back with its errors already holds what was typed.
      sessionStorage only, never localStorage: what people type is personal data (a person's
      situation, a séance's notes); sessionStorage belongs to this tab alone and is gone when
      the tab closes. Passwords, files and hidden fields (the CSRF token, a form's version) are
      never kept, nor is the sign-in form. A draft is put back only for the account that typed
      it (body's data-draft-owner, an opaque mark): on a shared computer, whoever signs in next
      in the tab does not get it.
   3. Errors in view. A form the server refused reopens at the top of its page, its error
      summary (templates/includes/error_summary.html) sometimes far below (a member space's
      upload or invitation form under a long list: 20 tabs away on a phone). The summary is
      focused, which scrolls it into view, unless the address names a place already (the
      portal's forms post to « #inscription » and reopen there) or a field has the focus.
   Without a script everything works as before. A file of its own: the site's policy runs no
   inline script (SECURE_CSP, script-src 'self'). */
(function () {
  "use strict";

  var BUSY_TEXT = "Envoi en cours…";
  var RESTORED_TEXT =
    "Ce que vous aviez saisi a été remis dans le formulaire : vérifiez-le puis envoyez-le.";
  // A form whose answer does not leave the page (a file to download: none of the site's POST
  // forms does that today, downloads are links) would otherwise stay busy for good. Chromium
  // downloads without taking the focus from the page, so no focus event would tell: after this
  // delay the form can be sent again. Far longer than a double click or an impatient second
  // click; the server still de-duplicates the POSTs that matter most.
  var BUSY_FOR_MS = 10000;
  var DRAFT_PREFIX = "maillage-brouillon:";
  var SENT = "sent";
  var WAITING = "waiting";  // answered by the sign-in page: restored after signing in
  var NEVER_KEPT = ["password", "file", "hidden", "submit", "button", "reset", "image"];

  var busy = new WeakMap();  // form -> its timer, while it is being sent

  // --- Which forms -------------------------------------------------------------------------

  function isPost(form, submitter) {
    var method = submitter && submitter.getAttribute("formmethod");
    return (method || form.getAttribute("method") || "get").toLowerCase() === "post";
  }

  function leavesThePage(form, submitter) {
    // A form sent to another window or frame leaves this page as it is.
    var target = (submitter && submitter.getAttribute("formtarget")) || form.target;
    return !target || target === "_self";
  }

  function submitButtons(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.type === "submit";
    });
  }

  function addressOf(form, submitter) {
    var action = submitter && submitter.hasAttribute("formaction") ?
      submitter.formAction : form.action;
    var url = new URL(action || window.location.href, window.location.href);
    return url.pathname + url.search;
  }

  function formsSentTo(address) {
    return Array.prototype.filter.call(document.forms, function (form) {
      return isPost(form) && addressOf(form) === address;
    });
  }

  // --- 1. Sent once ------------------------------------------------------------------------

  function guarded(form) {
    return isPost(form) && leavesThePage(form) && !form.hasAttribute("data-submit-twice");
  }

  function statusOf(form) {
    return form.querySelector("[data-sending-status]");
  }

  function addStatus(form) {
    var region = document.createElement("span");
    region.setAttribute("role", "status");
    region.setAttribute("data-sending-status", "");
    region.className = "help";
    var buttons = submitButtons(form);
    var last = buttons[buttons.length - 1];
    if (last) {
      last.after(" ", region);  // next to the button clicked, most often the only one
    } else {
      form.appendChild(region);
    }
  }

  function markBusy(form) {
    submitButtons(form).forEach(function (button) {
      if (!button.hasAttribute("aria-disabled")) {
        button.setAttribute("aria-disabled", "true");
        button.setAttribute("data-busy", "");
      }
    });
    var region = statusOf(form);
    if (region) {
      region.textContent = BUSY_TEXT;
    }
    busy.set(form, window.setTimeout(function () { clearBusy(form); }, BUSY_FOR_MS));
  }

  function clearBusy(form) {
    window.clearTimeout(busy.get(form));
    busy.delete(form);
    form.querySelectorAll("[data-busy]").forEach(function (button) {
      button.removeAttribute("aria-disabled");
      button.removeAttribute("data-busy");
    });
    var region = statusOf(form);
    if (region) {
      region.textContent = "";
    }
  }

  // --- 2. Kept across a lost session -------------------------------------------------------

  function store() {
    try {
      return window.sessionStorage;  // refused when the browser blocks storage
    } catch (error) {
      return null;
    }
  }

  function readDraft(key) {
    try {
      return JSON.parse(store().getItem(key));
    } catch (error) {
      return null;
    }
  }

  function writeDraft(key, draft) {
    try {
      store().setItem(key, JSON.stringify(draft));
    } catch (error) {
      // Full or refused: the form is sent all the same, as without this script.
    }
  }

  function dropDraft(key) {
    try {
      store().removeItem(key);
    } catch (error) {
      // Nothing kept.
    }
  }

  function draftKeys() {
    var storage = store();
    var keys = [];
    if (!storage) {
      return keys;
    }
    for (var i = 0; i < storage.length; i += 1) {
      if (storage.key(i).indexOf(DRAFT_PREFIX) === 0) {
        keys.push(storage.key(i));
      }
    }
    return keys;
  }

  function isChoice(field) {
    return field.type === "checkbox" || field.type === "radio";
  }

  function kept(field) {
    if (!field.name || field.disabled) {
      return false;
    }
    if (field.tagName === "TEXTAREA" || field.tagName === "SELECT") {
      return true;
    }
    return field.tagName === "INPUT" && NEVER_KEPT.indexOf(field.type) === -1;
  }

  // The form's kept fields, each with a name that finds it again in the same form served anew:
  // its name, its value for a box to tick, its rank among fields of the same name.
  function keptFields(form) {
    var seen = {};
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!kept(field)) {
        return;
      }
      var name = field.name + (isChoice(field) ? "=" + field.value : "");
      seen[name] = (seen[name] || 0) + 1;
      fields.push({field: field, id: name + "#" + seen[name]});
    });
    return fields;
  }

  function chosen(select, property) {
    var values = Array.prototype.filter.call(select.options, function (option) {
      return option[property];
    }).map(function (option) { return option.value; });
    if (!select.multiple) {
      // A list shows its first option when none is marked selected.
      values = values.length ? values.slice(-1) :
        Array.prototype.slice.call(select.options, 0, 1).map(function (o) { return o.value; });
    }
    return values;
  }

  function shown(field) {
    if (isChoice(field)) {
      return field.checked;
    }
    return field.tagName === "SELECT" ? chosen(field, "selected") : field.value;
  }

  function served(field) {
    if (isChoice(field)) {
      return field.defaultChecked;
    }
    return field.tagName === "SELECT" ? chosen(field, "defaultSelected") : field.defaultValue;
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function keepDraft(form, submitter) {
    if (form.hasAttribute("data-sign-in")) {
      return;
    }
    // Only what the person changed, with what the page showed before: nothing else is kept.
    var fields = keptFields(form).map(function (entry) {
      return {id: entry.id, typed: shown(entry.field), served: served(entry.field)};
    }).filter(function (entry) { return !same(entry.typed, entry.served); });
    if (!fields.length) {
      return;
    }
    var address = addressOf(form, submitter);
    writeDraft(DRAFT_PREFIX + address, {
      state: SENT,
      owner: currentOwner(),
      page: window.location.pathname + window.location.search,
      form: formsSentTo(addressOf(form)).indexOf(form),
      fields: fields
    });
  }

  function currentOwner() {
    return document.body.getAttribute("data-draft-owner") || "";
  }

  function put(field, value) {
    if (isChoice(field)) {
      field.checked = value;
    } else if (field.tagName === "SELECT") {
      Array.prototype.forEach.call(field.options, function (option) {
        option.selected = value.indexOf(option.value) !== -1;
      });
    } else {
      field.value = value;
    }
    field.dispatchEvent(new Event("input", {bubbles: true}));
    field.dispatchEvent(new Event("change", {bubbles: true}));
  }

  function restore(address, draft) {
    var forms = formsSentTo(address);
    var form = forms[draft.form] || forms[0];
    if (!form || !Array.isArray(draft.fields)) {
      return;
    }
    var byId = {};
    keptFields(form).forEach(function (entry) { byId[entry.id] = entry.field; });
    var restored = 0;
    draft.fields.forEach(function (saved) {
      var field = byId[saved.id];
      // Only over what the server showed then and shows still: a value it filled since (a
      // colleague's save, a form sent back with its errors) is left as it is.
      if (field && same(shown(field), saved.served)) {
        put(field, saved.typed);
        restored += 1;
      }
    });
    if (restored) {
      var notice = document.createElement("p");
      notice.className = "message";
      notice.setAttribute("role", "status");
      form.before(notice);
      // Written once the region is in the page, so that screen readers announce it.
      window.setTimeout(function () { notice.textContent = RESTORED_TEXT; }, 100);
    }
  }

  // The address whose draft this page keeps for the way back, or null: the sign-in page
  // waits for its `next`, the expired form's page (a POST answer) for its own address.
  function addressWaitedFor(here) {
    if (document.querySelector("form[data-sign-in]")) {
      return new URLSearchParams(window.location.search).get("next");
    }
    return document.querySelector("[data-draft-waits]") ? here : null;
  }

  // The page's words for a kept draft replace those for a lost one.
  function sayDraftKept() {
    document.querySelectorAll("[data-draft-kept]").forEach(function (element) {
      element.hidden = false;
    });
    document.querySelectorAll("[data-draft-unkept]").forEach(function (element) {
      element.hidden = true;
    });
  }

  // On each page shown: a page answering a form sent in vain keeps that form's draft, the form's
  // page (its address, or the page it was on) restores it, any other page drops it.
  function arrive() {
    var here = window.location.pathname + window.location.search;
    var waitedFor = addressWaitedFor(here);
    var keptHere = false;
    draftKeys().forEach(function (key) {
      var address = key.slice(DRAFT_PREFIX.length);
      var draft = readDraft(key);
      if (draft && waitedFor !== null && address === waitedFor) {
        if (draft.state !== WAITING) {
          draft.state = WAITING;
          writeDraft(key, draft);
        }
        // Said only where it comes true: the sign-in leads back to the address the form was
        // sent to, which shows the form again only when it is the form's own page (a button
        // whose address takes only a POST answers with the 405 page).
        keptHere = keptHere || !document.querySelector("form[data-sign-in]") ||
          draft.page === address;
        return;
      }
      dropDraft(key);
      var formsPage = address === here || (draft && draft.page === here);
      var sameOwner = draft && draft.owner === currentOwner();
      if (draft && waitedFor === null && draft.state === WAITING && formsPage && sameOwner) {
        restore(address, draft);
      }
    });
    if (keptHere) {
      sayDraftKept();
    }
  }

  // --- Wiring ------------------------------------------------------------------------------

  // On the document, so that a form's own listeners have cancelled their submit first.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    if (event.defaultPrevented || !isPost(form, submitter) || !leavesThePage(form, submitter)) {
      return;
    }
    if (guarded(form)) {
      if (busy.has(form)) {
        event.preventDefault();
        return;
      }
      markBusy(form);
    }
    keepDraft(form, submitter);
  });

  // The back button may bring a page from the browser's cache as it was left: busy.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      Array.prototype.forEach.call(document.forms, clearBusy);
      arrive();
    }
  });

  function showErrorSummary() {
    var summary = document.querySelector(".error-summary");
    var focused = document.activeElement && document.activeElement !== document.body;
    if (!summary || window.location.hash || focused) {
      return;
    }
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }

  Array.prototype.filter.call(document.forms, guarded).forEach(addStatus);
  arrive();
  showErrorSummary();
})();
