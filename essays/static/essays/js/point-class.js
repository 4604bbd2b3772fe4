// The point-class menu follows the chosen essay type: choosing a type selects the class the rules in
// force give it (the menu's data-points-by-type); the writer can still pick another class.
document.addEventListener('DOMContentLoaded', () => {
  const pointClass = document.querySelector('select[data-points-by-type]');
  const essayType = pointClass && pointClass.form && pointClass.form.elements.namedItem('essay_type');
  if (!essayType) {
    return;
  }
  const pointsByType = JSON.parse(pointClass.dataset.pointsByType);
  essayType.addEventListener('change', () => {
    const points = pointsByType[essayType.value];
    if (points !== undefined) {
      pointClass.value = String(points);
      pointClass.dispatchEvent(new Event('change', { bubbles: true }));
    }
  });
});
