// Draftail stores what was typed in its form field a moment after the last key, so a form sent in
// that moment (a quick click or Ctrl+S) would save the paragraph without its last words; sending
// waits until the editors have stored them.
(() => {
  const STORE_DELAY_MS = 400;
  let lastEdit = 0;

  const noteEdit = (event) => {
    if (event.target instanceof Element && event.target.closest(".Draftail-Editor")) {
      lastEdit = Date.now();
    }
  };
  for (const type of ["keydown", "input", "paste", "cut", "drop"]) {
    document.addEventListener(type, noteEdit, true);
  }

  document.addEventListener(
    "submit",
    (event) => {
      const remaining = lastEdit + STORE_DELAY_MS - Date.now();
      if (remaining <= 0) {
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      const form = event.target;
      const { submitter } = event;
      window.setTimeout(() => {
        // By now the admin may have disabled the button it shows as busy, and a disabled button's
        // name would not be sent: the action it stands for goes in a field of its own.
        if (submitter && submitter.name) {
          const action = document.createElement("input");
          action.type = "hidden";
          action.name = submitter.name;
          action.value = submitter.value;
          form.append(action);
        }
        if (submitter && submitter.hasAttribute("formaction")) {
          form.action = submitter.formAction;
        }
        lastEdit = 0;
        form.requestSubmit();
      }, remaining);
    },
    true,
  );
})();
