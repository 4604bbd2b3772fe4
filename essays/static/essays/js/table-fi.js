// Finnish for the table editor's context menu: Handsontable ships no Finnish, and asking it for a
// language it lacks logs an error on every edit.
(() => {
    const keys = window.Handsontable.languages.dictionaryKeys;
    window.Handsontable.languages.registerLanguageDictionary({
        languageCode: 'fi-FI',
        [keys.CONTEXTMENU_ITEMS_ROW_ABOVE]: 'Lisää rivi yläpuolelle',
        [keys.CONTEXTMENU_ITEMS_ROW_BELOW]: 'Lisää rivi alapuolelle',
        [keys.CONTEXTMENU_ITEMS_INSERT_LEFT]: 'Lisää sarake vasemmalle',
        [keys.CONTEXTMENU_ITEMS_INSERT_RIGHT]: 'Lisää sarake oikealle',
        [keys.CONTEXTMENU_ITEMS_REMOVE_ROW]: ['Poista rivi', 'Poista rivit'],
        [keys.CONTEXTMENU_ITEMS_REMOVE_COLUMN]: ['Poista sarake', 'Poista sarakkeet'],
        [keys.CONTEXTMENU_ITEMS_UNDO]: 'Kumoa',
        [keys.CONTEXTMENU_ITEMS_REDO]: 'Tee uudelleen',
    });
})();
