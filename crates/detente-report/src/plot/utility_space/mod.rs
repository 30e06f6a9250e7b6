//! Utility space of two parties: every outcome (points, or a density grid for large spaces),
//! the Pareto frontier, the Nash and Kalai-Smorodinsky points, each party's offers as a
//! trajectory fading into the past, the agreement and the reservation values. With more
//! parties, one panel per pair.
//!
//! In three steps: [`ScenarioFigures`] holds what is known of the scenario (`figures`),
//! [`utility_space`] extracts one pair's [`UtilitySpaceData`] from a negotiation (`data`), and
//! [`render_panels`] draws panels and their legend (`render`).

mod data;
mod figures;
mod render;

pub use data::{
    CloudMarks, Trajectory, TrajectoryPoint, UtilitySpaceData, utility_space, utility_space_pairs,
};
pub use figures::{FigureConfig, OutcomeCloud, ScenarioFigures};
pub use render::{fade, legend_items, render, render_panels, scales};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace_view::{ActionView, ResultView, TraceView};
    use detente_core::ActionKind;

    fn view(acts: Vec<(usize, f64, [f64; 2])>, agreement: Option<[f64; 2]>) -> TraceView {
        TraceView {
            scenario: "s".into(),
            issues: vec!["i".into()],
            parties: vec!["A".into(), "B".into()],
            negotiators: vec![String::new(); 2],
            reservations: vec![0.2, 0.3],
            discounts: vec![1.0; 2],
            seed: 0,
            deadline: 10,
            actions: acts
                .into_iter()
                .map(|(p, t, u)| ActionView {
                    round: (t * 10.0) as u32,
                    time: t,
                    party: p,
                    kind: ActionKind::Offer,
                    offer: Some("i=1".into()),
                    utilities: u.to_vec(),
                })
                .collect(),
            events: vec![],
            result: ResultView {
                termination: detente_formats::trace::TerminationKind::Deadline,
                ended_by: None,
                error: None,
                agreement: agreement.map(|_| "i=1".into()),
                agreement_utilities: agreement.map(|a| a.to_vec()),
                rounds: 10,
                time: 1.0,
                utilities: vec![0.2, 0.3],
            },
            compliance: None,
            quality: None,
        }
    }

    #[test]
    fn trajectories_follow_offers_per_party() {
        let v = view(
            vec![
                (0, 0.0, [1.0, 0.0]),
                (1, 0.05, [0.0, 1.0]),
                (0, 0.1, [0.8, 0.3]),
            ],
            Some([0.8, 0.3]),
        );
        let d = utility_space(&v, None, 0, 1, &FigureConfig::default()).unwrap();
        assert_eq!(d.trajectories.len(), 2);
        assert_eq!(d.trajectories[0].points.len(), 2);
        assert_eq!(d.trajectories[0].points[1].u, [0.8, 0.3]);
        assert_eq!(d.trajectories[1].name, "B");
        assert_eq!(d.agreement, Some([0.8, 0.3]));
        assert_eq!(d.reservation, [0.2, 0.3]);
        assert_eq!(d.x_domain, [0.0, 1.0]);
        assert_eq!(d.cloud, CloudMarks::None);
        assert!(d.frontier.is_empty());
        // Swapped axes swap the coordinates.
        let s = utility_space(&v, None, 1, 0, &FigureConfig::default()).unwrap();
        assert_eq!(s.trajectories[0].points[1].u, [0.3, 0.8]);
        assert!(utility_space(&v, None, 0, 0, &FigureConfig::default()).is_err());
        assert!(utility_space(&v, None, 0, 5, &FigureConfig::default()).is_err());
    }

    #[test]
    fn domain_grows_beyond_unit_interval() {
        let v = view(vec![(0, 0.0, [3.0, -0.5])], None);
        let d = utility_space(&v, None, 0, 1, &FigureConfig::default()).unwrap();
        assert!(
            d.x_domain[0] <= 0.2 && d.x_domain[1] >= 3.0,
            "{:?}",
            d.x_domain
        );
        assert!(
            d.y_domain[0] <= -0.5 && d.y_domain[1] >= 0.3,
            "{:?}",
            d.y_domain
        );
    }

    #[test]
    fn fading_grows_with_time() {
        assert_eq!(fade(0.0, 1.0), 0.2);
        assert_eq!(fade(1.0, 1.0), 1.0);
        assert!(fade(0.3, 1.0) < fade(0.6, 1.0));
        assert_eq!(fade(0.0, 0.0), 1.0);
    }

    #[test]
    fn legend_lists_what_is_drawn() {
        let v = view(vec![(0, 0.0, [1.0, 0.0])], None);
        let d = utility_space(&v, None, 0, 1, &FigureConfig::default()).unwrap();
        let labels: Vec<String> = legend_items(&[&d]).into_iter().map(|i| i.label).collect();
        assert_eq!(labels, vec!["reservation value", "offers by A"]);
    }
}
