// Draws every Vega-Lite spec the page carries (built in Python, see results/charts.py).
document.querySelectorAll("[data-vega-spec]").forEach((element) => {
  vegaEmbed(element, JSON.parse(element.dataset.vegaSpec), { actions: false, renderer: "svg" });
});
