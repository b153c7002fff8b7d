// Progressive enhancement for the comparison picker: keeps between 2 and 4 NPQs ticked.
const form = document.querySelector('[data-compare-form]');
if (form) {
  const boxes = [...form.querySelectorAll('input[type="checkbox"]')];
  const update = () => {
    const ticked = boxes.filter((b) => b.checked).length;
    for (const b of boxes) b.disabled = !b.checked && ticked >= 4;
  };
  for (const b of boxes) b.addEventListener('change', update);
  update();
}
