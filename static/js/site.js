// Filter choices apply at once when scripts run; the Filter button does the same without them.
document.addEventListener("change", (event) => {
    const select = event.target.closest(".filters select");
    if (select) {
        select.form.requestSubmit();
    }
});

// Search suggestions: a combobox on every search box (ARIA 1.2 pattern). Arrow keys move through
// the suggestions, Enter opens the chosen one, Escape closes the list; without scripts the box
// is a plain search field.
document.querySelectorAll('form[role="search"] input[name="q"]').forEach((input, number) => {
    const endpoint = input.dataset.autocomplete || "/api/search/autocomplete/";
    const list = document.createElement("ul");
    list.id = `search-suggestions-${number}`;
    list.className = "search-suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.after(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    input.autocomplete = "off";
    let active = -1;
    let timer;

    const show = (items) => {
        list.replaceChildren(...items.map((item, index) => {
            const option = document.createElement("li");
            option.id = `${list.id}-${index}`;
            option.setAttribute("role", "option");
            option.dataset.url = item.url;
            option.textContent = `${item.title} · ${item.label}`;
            option.addEventListener("mousedown", () => { window.location.href = item.url; });
            return option;
        }));
        list.hidden = items.length === 0;
        input.setAttribute("aria-expanded", String(items.length > 0));
        active = -1;
        input.removeAttribute("aria-activedescendant");
    };
    const move = (step) => {
        const options = list.querySelectorAll('[role="option"]');
        if (!options.length) return;
        options[active]?.setAttribute("aria-selected", "false");
        active = (active + step + options.length) % options.length;
        options[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[active].id);
    };
    input.addEventListener("input", () => {
        clearTimeout(timer);
        const text = input.value.trim();
        if (text.length < 2) { show([]); return; }
        timer = setTimeout(async () => {
            const response = await fetch(`${endpoint}?q=${encodeURIComponent(text)}`);
            if (response.ok && input.value.trim() === text) show((await response.json()).suggestions);
        }, 150);
    });
    input.addEventListener("keydown", (event) => {
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
            event.preventDefault();
            move(event.key === "ArrowDown" ? 1 : -1);
        } else if (event.key === "Enter" && active >= 0) {
            event.preventDefault();
            window.location.href = list.querySelectorAll('[role="option"]')[active].dataset.url;
        } else if (event.key === "Escape" && !list.hidden) {
            // Only closes the list: a search field's own Escape would also empty what was typed.
            event.preventDefault();
            show([]);
        }
    });
    input.addEventListener("blur", () => setTimeout(() => show([]), 100));
});

// Comment forms for anonymous visitors: the browser does the proof of work (a counter that makes
// sha256(token ":" counter) start with four zero hex digits) and the check question is hidden.
// Without scripts, or without the Web Crypto API, the visitor answers the question instead.
const WORK_PREFIX = "0000";
const hex = (buffer) => Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");
const findWork = async (token) => {
    const encoder = new TextEncoder();
    for (let counter = 0; counter < 5000000; counter += 1) {
        const digest = await crypto.subtle.digest("SHA-256", encoder.encode(`${token}:${counter}`));
        if (hex(digest).startsWith(WORK_PREFIX)) return String(counter);
    }
    return "";
};
document.querySelectorAll("form.comment-form").forEach((form) => {
    const question = form.querySelector(".check-question");
    if (!question || !window.crypto?.subtle) return;
    const work = findWork(form.dataset.work).then((counter) => {
        form.elements.laskenta.value = counter;
        if (counter) question.hidden = true;
        return counter;
    });
    form.addEventListener("submit", (event) => {
        if (form.elements.laskenta.value) return;
        event.preventDefault();
        work.then(() => form.submit());
    });
});

// The rating form saves a choice at once and announces the new average; without scripts the
// Save button posts the form.
document.querySelectorAll("form.rating-form").forEach((form) => {
    const text = form.closest(".rating")?.querySelector(".rating-text");
    form.addEventListener("change", async (event) => {
        if (event.target.name !== "stars") return;
        const response = await fetch(form.action, {
            method: "POST",
            body: new FormData(form),
            headers: { Accept: "application/json" },
            credentials: "same-origin",
        });
        const answer = await response.json().catch(() => ({}));
        if (text) text.textContent = response.ok ? answer.text : answer.error || text.textContent;
    });
});
