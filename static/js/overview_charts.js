// The office overview's charts (Apache ECharts, served by the portal). Data comes from #overview-data.
(function () {
  const data = JSON.parse(document.getElementById("overview-data").textContent);
  const colours = { danger: "#dc3545", warning: "#ffc107", primary: "#0d6efd", secondary: "#adb5bd", success: "#198754" };
  const font = { fontFamily: "'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif" };
  // Tooltips drawn in the chart: an HTML tooltip carries style attributes, which the Content-Security-Policy refuses.
  const tooltip = { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText" };

  function chart(id, option) {
    const element = document.getElementById(id);
    if (!element) return;
    const instance = echarts.init(element, null, { renderer: "svg" });
    instance.setOption(Object.assign({ textStyle: font, animation: false }, option));
    window.addEventListener("resize", () => instance.resize());
  }

  chart("chart-teams", {
    tooltip,
    legend: { top: 0 },
    grid: { left: 8, right: 16, bottom: 8, top: 36, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: data.teams, inverse: true },
    series: data.series.map((s) => ({ name: s.name, type: "bar", stack: "total", data: s.data, itemStyle: { color: colours[s.colour] } })),
  });

  chart("chart-units", {
    tooltip,
    legend: { top: 0 },
    grid: { left: 8, right: 16, bottom: 8, top: 36, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: data.units, inverse: true },
    series: [
      { name: "牵头", type: "bar", stack: "u", data: data.unit_led, itemStyle: { color: colours.danger } },
      { name: "配合", type: "bar", stack: "u", data: data.unit_shared, itemStyle: { color: "#f1aeb5" } },
    ],
  });

  chart("chart-reporting", {
    series: [{
      type: "pie", radius: ["55%", "80%"], label: { show: false },
      data: [
        { name: "已报", value: data.reported, itemStyle: { color: colours.success } },
        { name: "未报", value: data.missing, itemStyle: { color: "#dee2e6" } },
      ],
    }],
  });
})();
