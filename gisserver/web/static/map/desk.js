// The desk part of the page (not written yet): see main.js for the context it gets.

export function init(ctx) {}
