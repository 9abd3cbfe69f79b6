// A modal confirmation for actions that stop trading or end sessions; resolves true only on "Confirm".
import { byId } from './dom.js';

export function confirmAction(text, action = 'Confirm') {
  const dialog = byId('confirm');
  byId('confirm-text').textContent = text;
  byId('confirm-ok').textContent = action;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = 'cancel';
    dialog.showModal();
  });
}
