/// Runs every analysis and renderer on a loaded scene (bounded, so that big inputs stay fast).
pub fn exercise(scene: &earshot::scene::Scene) {
    use earshot::analysis::plausibility::{AssessOptions, Band, assess};
    if scene.attendees.len() > 300 {
        return;
    }
    for phase in 0..scene.phases.len() {
        let pairs = earshot::analysis::search::phase_pairs(scene, phase, Band::NeverCoPresent);
        let _ = earshot::analysis::search::band_counts(&pairs);
        let present = scene.present_in(phase);
        if present.len() >= 2 {
            let v = assess(scene, phase, present[0].0, present[1].0, AssessOptions::default());
            let _ = earshot::output::report::verdict_text(scene, &v);
            let _ = serde_json::to_string(&earshot::output::report::VerdictJson::new(&v));
        }
        let focus: Vec<usize> = present.iter().take(1).map(|p| p.0).collect();
        let svg = earshot::output::render::chart::seating_chart(scene, phase, &earshot::output::render::chart::ChartOptions { focus, groups: vec![] });
        assert!(!svg.contains("<script"), "unescaped markup");
        let _ = earshot::output::render::plot::heatmap(scene, phase);
        let _ = earshot::output::render::plot::decay(scene, phase);
    }
}
