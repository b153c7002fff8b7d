// While an import runs, refresh its progress every second; without JavaScript the "Check progress" link does it.
const progress = document.querySelector('[data-import-running]');
if (progress) setTimeout(() => window.location.reload(), 1000);
