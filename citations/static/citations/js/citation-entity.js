/* The "citation" entity of the rich-text editor: choose a source and give the pages in a
 * modal; the citation is inserted as an immutable entity. Plain JavaScript, no build step. */
(function () {
    "use strict";

    const React = window.React;
    const DraftJS = window.DraftJS;

    const onload = {
        choose(modal) {
            modal.ajaxifyForm(modal.body.find("form"));
            const filter = modal.body.find("[data-citation-filter]");
            const select = modal.body.find("select[name=source]");
            filter.on("input", function () {
                const wanted = this.value.toLocaleLowerCase("fi");
                select.find("option").each(function () {
                    this.hidden = wanted !== "" && !this.text.toLocaleLowerCase("fi").includes(wanted);
                });
            });
            filter.trigger("focus");
        },
        chosen(modal, json) {
            modal.respond("citationChosen", json.result);
            modal.close();
        },
    };

    /* A new citation goes after the caret, or after the selected text, which stays as it is; a space
     * separates it from a word before it or after it. */
    function insertApart(content, selection, text, entityKey) {
        const key = selection.getEndKey();
        const offset = selection.getEndOffset();
        const blockText = content.getBlockForKey(key).getText();
        let at = selection.merge({
            anchorKey: key,
            anchorOffset: offset,
            focusKey: key,
            focusOffset: offset,
            isBackward: false,
        });
        let changed = content;
        if (offset > 0 && !/\s/.test(blockText[offset - 1])) {
            changed = DraftJS.Modifier.insertText(changed, at, " ");
            at = changed.getSelectionAfter();
        }
        changed = DraftJS.Modifier.insertText(changed, at, text, null, entityKey);
        if (/[\p{L}\p{N}]/u.test(blockText.charAt(offset))) {
            changed = DraftJS.Modifier.insertText(changed, changed.getSelectionAfter(), " ");
        }
        return changed;
    }

    class CitationSource extends React.Component {
        componentDidMount() {
            const { entity, entityType, onClose } = this.props;
            const data = entity ? entity.getData() : {};
            let chosen = false;
            const workflow = window.ModalWorkflow({
                url: entityType.chooserUrl,
                urlParams: { source: data.id || "", pages: data.pages || "", form: data.form || "" },
                onload,
                responses: {
                    citationChosen: (result) => {
                        chosen = true;
                        this.insert(result);
                    },
                },
                onError: () => onClose(),
            });
            if (workflow.container) {
                workflow.container.on("hidden.bs.modal", () => {
                    if (!chosen) {
                        onClose();
                    }
                });
            }
        }

        insert(result) {
            const { editorState, entityType, entityKey, onComplete } = this.props;
            const content = editorState.getCurrentContent();
            const data = { id: result.id, pages: result.pages, form: result.form };
            const withEntity = content.createEntity(entityType.type, "IMMUTABLE", data);
            const newKey = withEntity.getLastCreatedEntityKey();
            let selection = editorState.getSelection();
            let changed;
            if (entityKey) {
                // Editing an existing citation: select the whole entity so it is replaced.
                const block = content.getBlockForKey(selection.getAnchorKey());
                block.findEntityRanges(
                    (character) => character.getEntity() === entityKey,
                    (start, end) => {
                        selection = selection.merge({ anchorOffset: start, focusOffset: end, isBackward: false });
                    },
                );
                changed = DraftJS.Modifier.replaceText(withEntity, selection, result.text, null, newKey);
            } else {
                changed = insertApart(withEntity, selection, result.text, newKey);
            }
            const nextState = DraftJS.EditorState.push(editorState, changed, "insert-characters");
            onComplete(DraftJS.EditorState.forceSelection(nextState, changed.getSelectionAfter()));
        }

        render() {
            return null;
        }
    }

    function Citation(props) {
        const data = props.contentState.getEntity(props.entityKey).getData();
        return React.createElement(
            "span",
            {
                className: "citation-entity",
                title: data.pages ? `${data.pages}` : "",
                "data-citation-source": data.id,
                style: { backgroundColor: "var(--w-color-surface-info-panel, #e6f0f5)", borderRadius: "3px" },
            },
            props.children,
        );
    }

    window.draftail.registerPlugin(
        { type: "CITATION", source: CitationSource, decorator: Citation },
        "entityTypes",
    );
})();
