"""The students', coaches' and editors' groups, their permissions and the grading workflow.

The functions take an app registry so that a migration can run them on its historical models and
load_demo on the real ones; running them again changes nothing.
"""

# The groups, named as users see them; Wagtail creates the editors' and moderators' groups.
STUDENTS = "Opiskelijat"
COACHES = "Valmentajat"
EDITORS = "Toimittajat"
MODERATORS = "Moderaattorit"
# Each group's English name before grading 0007, which still finds it on older databases (and Wagtail's
# own migrations name its groups so).
FORMER_NAMES = {STUDENTS: "Students", COACHES: "Coaches", EDITORS: "Editors", MODERATORS: "Moderators"}
# The grading workflow and its one task, named apart so that the history's sentences read well
# ("”Esseen arviointi” käynnistetty. Seuraava vaihe: ”Valmentajan arviointi”").
WORKFLOW_NAME = "Esseen arviointi"
TASK_NAME = "Valmentajan arviointi"
# Both were "Arviointi" before grading 0008.
FORMER_WORKFLOW_NAME = "Arviointi"
# Wagtail's own workflow for the other pages, and its one task, under Finnish names.
DEFAULT_WORKFLOW = ("Moderators approval", "Julkaisun hyväksyntä")
DEFAULT_TASK = ("Moderators approval", "Toimittajan hyväksyntä")

_READ_REFERENCE_DATA = [
    "essays.view_book",
    "essays.view_person",
    "essays.view_team",
    "essays.view_essaytype",
    "essays.view_category",
]
_MANAGE = ["add", "change", "delete", "view"]
_EDITED_BY_EDITORS = [
    f"{app}.{action}_{model}"
    for app, model in [
        ("essays", "book"),
        ("essays", "person"),
        ("essays", "team"),
        ("essays", "essaytype"),
        ("essays", "category"),
        ("grading", "ruleset"),
        ("grading", "term"),
        ("citations", "source"),
        ("concepts", "essayconceptlink"),
    ]
    for action in _MANAGE
]

GROUP_PERMISSIONS = {
    STUDENTS: ["wagtailadmin.access_admin", *_READ_REFERENCE_DATA],
    COACHES: ["wagtailadmin.access_admin", *_READ_REFERENCE_DATA, "grading.grade_team_essays", "grading.view_award"],
    EDITORS: [
        "wagtailadmin.access_admin",
        *_EDITED_BY_EDITORS,
        "grading.grade_all_essays",
        "grading.view_award",
        "grading.add_award",
        "grading.change_gradingsettings",
        "essays.change_essaypage",
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
    ],
}
# Wagtail page permissions: students add essays under the essay index (and so edit their own),
# editors do everything everywhere.
STUDENT_PAGE_PERMISSIONS = ["add"]
EDITOR_PAGE_PERMISSIONS = ["add", "change", "publish", "lock", "unlock", "bulk_delete"]
# Students upload images and choose only their own (grading.permissions.OwnUploadsPermissionPolicy).
STUDENT_COLLECTION_PERMISSIONS = ["wagtailimages.add_image"]


def _permission(apps, dotted):
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _existing_permissions(apps, dotted_names):
    """The permissions of these names that exist: an early migration runs before some apps' models
    (sources, concept links) exist, and a later one grants those."""
    Permission = apps.get_model("auth", "Permission")
    found = []
    for dotted in dotted_names:
        app_label, codename = dotted.split(".")
        permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if permission is not None:
            found.append(permission)
    return found


def _page_permission(apps, action):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=f"{action}_page")


def _grant_page_permissions(apps, group, page_id, actions):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    for action in actions:
        GroupPagePermission.objects.get_or_create(
            group=group, page_id=page_id, permission=_page_permission(apps, action)
        )


def groups_named(apps, *names):
    """The groups of these names, found under their former English names too: a migration can run
    before or after grading 0007 renames them."""
    Group = apps.get_model("auth", "Group")
    return Group.objects.filter(name__in=[*names, *(FORMER_NAMES[name] for name in names)])


def group_named(apps, name):
    """The group of this name (or its former name), created if there is none."""
    Group = apps.get_model("auth", "Group")
    return groups_named(apps, name).first() or Group.objects.create(name=name)


def name_groups_in_finnish(apps):
    """Rename each group still under its English name, unless its Finnish name is taken."""
    Group = apps.get_model("auth", "Group")
    for name, former in FORMER_NAMES.items():
        if not Group.objects.filter(name=name).exists():
            Group.objects.filter(name=former).update(name=name)


def setup_roles(apps):
    """Create the three groups with their model, page and collection permissions."""
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    groups = {}
    for name, permissions in GROUP_PERMISSIONS.items():
        group = group_named(apps, name)
        group.permissions.add(*_existing_permissions(apps, permissions))
        groups[name] = group

    root = Page.objects.filter(depth=1).first()
    if root is not None:
        _grant_page_permissions(apps, groups[EDITORS], root.pk, EDITOR_PAGE_PERMISSIONS)
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for dotted in STUDENT_COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=groups[STUDENTS], collection=root_collection, permission=_permission(apps, dotted)
            )
    return groups


def grading_workflow(apps):
    """The grading workflow with its one grading task, created if missing."""
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GradingTask = apps.get_model("grading", "GradingTask")
    ContentType = apps.get_model("contenttypes", "ContentType")

    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = GradingTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        content_type, _created = ContentType.objects.get_or_create(app_label="grading", model="gradingtask")
        task = GradingTask.objects.create(name=TASK_NAME, content_type=content_type, active=True)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


def name_grading_workflow_apart(apps):
    """Give the grading workflow and its task, both named "Arviointi" before, names of their own."""
    Workflow = apps.get_model("wagtailcore", "Workflow")
    GradingTask = apps.get_model("grading", "GradingTask")
    if not Workflow.objects.filter(name=WORKFLOW_NAME).exists():
        Workflow.objects.filter(name=FORMER_WORKFLOW_NAME).update(name=WORKFLOW_NAME)
    if not GradingTask.objects.filter(name=TASK_NAME).exists():
        for task in GradingTask.objects.filter(name=FORMER_WORKFLOW_NAME):
            task.name = TASK_NAME
            task.save(update_fields=["name"])


def finnish_default_workflow(apps):
    """Wagtail's "Moderators approval" workflow named in Finnish, its task moderated by editors too."""
    Workflow = apps.get_model("wagtailcore", "Workflow")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow.objects.filter(name=DEFAULT_WORKFLOW[0]).update(name=DEFAULT_WORKFLOW[1])
    editors = groups_named(apps, EDITORS).first()
    for task in GroupApprovalTask.objects.filter(name__in=DEFAULT_TASK):
        task.name = DEFAULT_TASK[1]
        task.save(update_fields=["name"])
        if editors is not None:
            task.groups.add(editors)


def setup_essay_index(apps, index_id):
    """Put the essay index under the grading workflow and let students add essays there."""
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    workflow = grading_workflow(apps)
    WorkflowPage.objects.get_or_create(page_id=index_id, defaults={"workflow": workflow})
    students = groups_named(apps, STUDENTS).first()
    if students is not None:
        _grant_page_permissions(apps, students, index_id, STUDENT_PAGE_PERMISSIONS)


def setup_all(apps):
    setup_roles(apps)
    grading_workflow(apps)
    finnish_default_workflow(apps)
    EssayIndexPage = apps.get_model("essays", "EssayIndexPage")
    for index_id in EssayIndexPage.objects.values_list("pk", flat=True):
        setup_essay_index(apps, index_id)
