// Filter choices apply at once when scripts run; the Filter button does the same without them.
document.addEventListener("change", (event) => {
    const select = event.target.closest(".filters select");
    if (select) {
        select.form.requestSubmit();
    }
});
