//! Sample numbers for every chart: a dealer group in its sixth month of 2026 (January to June
//! have actuals). Shared by the integration tests and the gallery example.

#![allow(dead_code)]

use leadplan_charts::*;
use leadplan_core::PlanYear;

pub const YEAR: PlanYear = PlanYear {
    year: 2026,
    start_month: 1,
};

/// Months with actuals: January to June.
pub const ELAPSED: usize = 6;

pub const PLANNED: [f64; 12] = [
    180.0, 190.0, 240.0, 230.0, 210.0, 190.0, 160.0, 150.0, 220.0, 230.0, 200.0, 170.0,
];
pub const ACTUAL: [f64; 6] = [172.0, 201.0, 215.0, 226.0, 188.0, 103.0];

/// Today is 16 June: June, the month in progress, is due 16/30 of its plan.
pub const JUNE_DUE: f64 = 16.0 / 30.0;

pub fn actual_months(actual: &[f64]) -> [Option<f64>; 12] {
    std::array::from_fn(|i| actual.get(i).copied())
}

/// The plan due by 16 June: January to May whole, June pro rata, nothing after.
pub fn due_months(planned: &[f64; 12]) -> [Option<f64>; 12] {
    std::array::from_fn(|i| match i {
        0..5 => Some(planned[i]),
        5 => Some(planned[i] * JUNE_DUE),
        _ => None,
    })
}

pub fn month_leads() -> LeadsByMonth {
    LeadsByMonth {
        year: YEAR,
        planned: PLANNED,
        planned_to_date: due_months(&PLANNED),
        actual: actual_months(&ACTUAL),
    }
}

pub fn source_leads() -> LeadsBySource {
    let shares = [
        ("Website", 0.38),
        ("Importer", 0.22),
        ("mobile.de", 0.2),
        ("AutoScout24", 0.12),
        ("Walk-in", 0.08),
    ];
    let actual_shares = [0.41, 0.18, 0.23, 0.1, 0.08];
    LeadsBySource {
        year: YEAR,
        sources: shares
            .iter()
            .zip(actual_shares)
            .map(|((name, share), actual_share)| {
                let planned = PLANNED.map(|p| (p * share).round());
                SourceLeads {
                    source: (*name).to_owned(),
                    planned,
                    planned_to_date: due_months(&planned),
                    actual: actual_months(&ACTUAL.map(|a| (a * actual_share).round())),
                }
            })
            .collect(),
    }
}

pub fn cumulative() -> CumulativeYear {
    let mut planned = [0.0; 12];
    let mut total = 0.0;
    for (i, p) in PLANNED.iter().enumerate() {
        total += p;
        planned[i] = total;
    }
    let mut actual = [None; 12];
    let mut sum = 0.0;
    for (i, a) in ACTUAL.iter().enumerate() {
        sum += a;
        actual[i] = Some(sum);
    }
    // run rate: actual / plan to date, applied to the rest of the plan
    let rate = sum / planned[ELAPSED - 1];
    let mut forecast = [None; 12];
    let mut running = sum;
    for i in ELAPSED..12 {
        running += PLANNED[i] * rate;
        forecast[i] = Some(running);
    }
    CumulativeYear {
        year: YEAR,
        measure: Measure::Leads,
        planned,
        planned_to_date: Some(due_months(&PLANNED).iter().flatten().sum()),
        actual,
        forecast,
        annual_target: Some(total),
    }
}

pub fn conversion() -> ConversionBySource {
    ConversionBySource {
        floor: 0.13,
        sources: vec![
            SourceConversion {
                source: "Website".into(),
                conversion: 0.152,
                maturing: false,
            },
            SourceConversion {
                source: "Importer".into(),
                conversion: 0.094,
                maturing: false,
            },
            SourceConversion {
                source: "mobile.de".into(),
                conversion: 0.121,
                maturing: false,
            },
            SourceConversion {
                source: "AutoScout24".into(),
                conversion: 0.18,
                maturing: false,
            },
            SourceConversion {
                source: "Walk-in".into(),
                conversion: 0.31,
                maturing: false,
            },
            SourceConversion {
                source: "Facebook Lead Ads".into(),
                conversion: 0.045,
                maturing: true,
            },
        ],
    }
}

pub fn funnel() -> FunnelBySource {
    let rows = [
        ("Website", [420.0, 401.0, 280.0, 121.0, 64.0]),
        ("Importer", [210.0, 188.0, 120.0, 41.0, 20.0]),
        ("mobile.de", [240.0, 230.0, 150.0, 52.0, 29.0]),
        ("AutoScout24", [118.0, 112.0, 80.0, 33.0, 21.0]),
        ("Walk-in", [86.0, 86.0, 86.0, 54.0, 27.0]),
    ];
    FunnelBySource {
        sources: rows
            .iter()
            .map(|(name, s)| SourceFunnel {
                source: (*name).to_owned(),
                leads: s[0],
                contacted: s[1],
                reached: s[2],
                appointment: s[3],
                won: s[4],
            })
            .collect(),
    }
}

pub fn cost() -> CostBySource {
    let rows = [
        ("Website", Some(18.0), Some(21.5), Some(120.0), Some(141.09)),
        ("Importer", Some(0.0), Some(0.0), Some(0.0), Some(0.0)),
        (
            "mobile.de",
            Some(32.0),
            Some(29.4),
            Some(240.0),
            Some(243.2),
        ),
        (
            "AutoScout24",
            Some(36.0),
            Some(44.75),
            Some(210.0),
            Some(251.43),
        ),
        ("Walk-in", Some(12.0), Some(14.0), Some(40.0), None),
    ];
    CostBySource {
        currency: "EUR".into(),
        sources: rows
            .iter()
            .map(|(name, pl, al, ps, as_)| SourceCost {
                source: (*name).to_owned(),
                planned_per_lead: *pl,
                actual_per_lead: *al,
                planned_per_sale: *ps,
                actual_per_sale: *as_,
            })
            .collect(),
    }
}

pub fn response() -> ResponseTimes {
    let edges = [
        (0, Some(15), 310.0),
        (15, Some(30), 180.0),
        (30, Some(60), 140.0),
        (60, Some(240), 120.0),
        (240, Some(1440), 64.0),
        (1440, None, 21.0),
    ];
    ResponseTimes {
        sla_minutes: 60,
        buckets: edges
            .iter()
            .map(|(from, to, leads)| ResponseBucket {
                from_minutes: *from,
                to_minutes: *to,
                leads: *leads,
            })
            .collect(),
        not_contacted: 27.0,
    }
}

pub fn sla() -> SlaBySource {
    let rows = [
        ("Website", 0.84),
        ("Importer", 0.62),
        ("mobile.de", 0.77),
        ("AutoScout24", 0.81),
        ("Walk-in", 1.0),
    ];
    SlaBySource {
        sla_minutes: 60,
        target: 0.8,
        sources: rows
            .iter()
            .map(|(name, share)| SourceShare {
                source: (*name).to_owned(),
                share: *share,
            })
            .collect(),
    }
}

pub fn lost() -> LostWithoutAttempts {
    let lost = |name: &str, lost: f64, few: f64| LostCount {
        name: name.to_owned(),
        lost,
        too_few_attempts: few,
    };
    LostWithoutAttempts {
        min_attempts: 4,
        by_source: vec![
            lost("Website", 96.0, 31.0),
            lost("Importer", 61.0, 29.0),
            lost("mobile.de", 70.0, 18.0),
            lost("AutoScout24", 30.0, 6.0),
            lost("Walk-in", 22.0, 2.0),
        ],
        by_owner: vec![
            lost("Anna Schmidt", 58.0, 9.0),
            lost("Bram de Vries", 64.0, 27.0),
            lost("Claudia Weber", 71.0, 21.0),
            lost("Dirk Jansen", 49.0, 22.0),
            lost("Eva Müller", 37.0, 7.0),
        ],
    }
}

pub fn stock() -> StockVsSales {
    let line = |name: &str, stock: [f64; 12], demand: [f64; 12]| {
        let planned_sales: [f64; 12] = std::array::from_fn(|i| demand[i].min(stock[i]));
        let capped: [f64; 12] = std::array::from_fn(|i| (demand[i] - stock[i]).max(0.0));
        LineStock {
            product_line: name.to_owned(),
            stock,
            planned_sales,
            capped,
        }
    };
    StockVsSales {
        year: YEAR,
        lines: vec![
            line(
                "City EV",
                [
                    30.0, 30.0, 40.0, 40.0, 45.0, 45.0, 40.0, 35.0, 45.0, 45.0, 40.0, 35.0,
                ],
                [
                    22.0, 24.0, 38.0, 44.0, 41.0, 39.0, 30.0, 28.0, 47.0, 43.0, 36.0, 30.0,
                ],
            ),
            line(
                "Family SUV",
                [25.0; 12],
                [
                    18.0, 20.0, 27.0, 26.0, 24.0, 21.0, 17.0, 16.0, 25.0, 26.0, 22.0, 19.0,
                ],
            ),
            line(
                "Van",
                [12.0; 12],
                [
                    8.0, 9.0, 11.0, 10.0, 10.0, 9.0, 7.0, 7.0, 10.0, 11.0, 9.0, 8.0,
                ],
            ),
        ],
    }
}

/// One chart for the sample data.
pub fn draw(id: ChartId, theme: &Theme) -> String {
    match id {
        ChartId::LeadsPlanVsActual => leads_plan_vs_actual(&month_leads(), theme),
        ChartId::LeadsBySource => leads_by_source(&source_leads(), theme),
        ChartId::CumulativeVsPlan => cumulative_vs_plan(&cumulative(), theme),
        ChartId::ConversionVsFloor => conversion_vs_floor(&conversion(), theme),
        ChartId::FunnelBySource => funnel_by_source(&funnel(), theme),
        ChartId::CostPerLeadAndSale => cost_per_lead_and_sale(&cost(), theme),
        ChartId::ResponseTimes => response_times(&response(), theme),
        ChartId::ContactedWithinSla => contacted_within_sla(&sla(), theme),
        ChartId::LostWithoutAttempts => lost_without_attempts(&lost(), theme),
        ChartId::StockVsSales => stock_vs_sales(&stock(), theme),
    }
}

/// Every chart for the sample data.
pub fn all_charts(theme: &Theme) -> Vec<(ChartId, String)> {
    ChartId::ALL
        .into_iter()
        .map(|id| (id, draw(id, theme)))
        .collect()
}
