// Draws every Vega-Lite spec the page carries (built in Python, see results/charts.py), with the
// numbers written the way the page's language writes them: 1 234,5 in French and Arabic (the
// platform's Moroccan convention, as in its tables), 1,234.5 in English.
const NUMBER_LOCALES = {
  fr: { decimal: ",", thousands: "\u202f", grouping: [3], currency: ["", "\u00a0DH"] },
  ar: { decimal: ",", thousands: "\u202f", grouping: [3], currency: ["", "\u00a0DH"] },
  en: { decimal: ".", thousands: ",", grouping: [3], currency: ["", " MAD"] },
};
const language = document.documentElement.lang || "fr";
document.querySelectorAll("[data-vega-spec]").forEach((element) => {
  vegaEmbed(element, JSON.parse(element.dataset.vegaSpec), {
    actions: false,
    renderer: "svg",
    formatLocale: NUMBER_LOCALES[language] || NUMBER_LOCALES.fr,
    // The Content-Security-Policy refuses eval: expressions go through the interpreter bundled
    // in vega-embed instead of `new Function`, and its styles come from pilotage.css instead of
    // the <style> elements vega-embed and vega-tooltip would add.
    ast: true,
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true },
  });
});
