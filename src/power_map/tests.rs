use super::*;
use crate::domain::{Attitude, BuyingRole, Extra, PersonStage};
use crate::text::width;

fn p(id: Id, name: &str, influence: Option<u8>) -> Person {
    Person {
        id,
        uid: format!("p-{id}"),
        name: name.into(),
        account: Some(1),
        influence,
        ..Person::default()
    }
}

fn l(id: Id, from: Id, kind: LinkKind, to: Id) -> Link {
    Link {
        id,
        uid: format!("l-{id}"),
        from,
        to,
        kind,
        note: None,
        extra: Extra::new(),
    }
}

fn text(map: &PowerMap, cells: usize) -> String {
    let mut out = String::new();
    for line in map.lines(cells) {
        let t = line.text();
        assert!(width(&t) <= cells, "{cells}: {t:?} is {} wide", width(&t));
        out.push_str(&t);
        out.push('\n');
    }
    out
}

/// Twelve people, reports-to depth 3, cross links of every kind and one to another account.
fn hospital() -> PowerMap {
    use BuyingRole::*;
    let people = vec![
        Person {
            title: Some("Director Médico".into()),
            role: Some(EconomicBuyer),
            attitude: Some(Attitude::Neutral),
            stage: Some(PersonStage::Contacted),
            ..p(1, "Dr. Alberto Salcedo Peña", Some(5))
        },
        Person {
            title: Some("Jefa de Farmacia".into()),
            role: Some(TechnicalBuyer),
            attitude: Some(Attitude::Supporter),
            stage: Some(PersonStage::Loyal),
            ..p(2, "Dra. Carmen Peña Olmedo", Some(4))
        },
        Person {
            role: Some(UserBuyer),
            attitude: Some(Attitude::Champion),
            stage: Some(PersonStage::Advocate),
            ..p(3, "Dr. Javier Ortega Núñez", Some(4))
        },
        Person {
            role: Some(Blocker),
            attitude: Some(Attitude::Opponent),
            stage: Some(PersonStage::Cooling),
            ..p(4, "Dr. Rafael Mendoza Ibáñez", Some(3))
        },
        Person {
            role: Some(Coach),
            attitude: Some(Attitude::Supporter),
            stage: Some(PersonStage::Close),
            ..p(5, "Rosa Márquez Gil", Some(2))
        },
        Person {
            role: Some(Gatekeeper),
            ..p(6, "Andrés Sánchez Ibáñez", Some(1))
        },
        Person {
            role: Some(UserBuyer),
            attitude: Some(Attitude::Skeptic),
            ..p(7, "佐藤 花子", Some(2))
        },
        p(8, "Irene García Núñez", Some(1)),
        p(9, "Begoña Fernández Muñoz", Some(3)),
        p(10, "Nerea Sánchez Ibáñez", None),
        Person {
            role: Some(TechnicalBuyer),
            ..p(11, "María José Íñiguez Salas", Some(3))
        },
        p(12, "Ольга Кузнецова", Some(2)),
    ];
    let mut influences = l(17, 3, LinkKind::Influences, 2);
    influences.note = Some("His clinical opinion carries the\ncommittee.".into());
    let links = vec![
        l(1, 2, LinkKind::ReportsTo, 1),
        l(2, 3, LinkKind::ReportsTo, 1),
        l(3, 4, LinkKind::ReportsTo, 1),
        l(4, 5, LinkKind::ReportsTo, 3),
        l(5, 6, LinkKind::ReportsTo, 2),
        l(6, 7, LinkKind::ReportsTo, 6),
        l(7, 8, LinkKind::ReportsTo, 6),
        l(8, 9, LinkKind::ReportsTo, 2),
        l(9, 10, LinkKind::ReportsTo, 9),
        l(10, 12, LinkKind::ReportsTo, 4),
        l(11, 4, LinkKind::Rival, 3),
        l(12, 5, LinkKind::Ally, 3),
        l(13, 99, LinkKind::Influences, 3),
        l(14, 99, LinkKind::Friend, 2),
        l(15, 12, LinkKind::Family, 7),
        l(16, 9, LinkKind::ReportsTo, 3),
        influences,
    ];
    let outside = vec![LinkedPerson {
        id: 99,
        name: "Dr. Íñigo Núñez Peña".into(),
        account: Some(2),
        account_name: Some("Clínica Dr. Núñez — Reumatología".into()),
    }];
    PowerMap::build(people, links, outside, false)
}

#[test]
fn reports_to_is_a_tree_with_siblings_by_influence() {
    let map = hospital();
    let depths: Vec<(Id, usize)> = map
        .tree
        .iter()
        .map(|pl| (map.people[pl.person].id, pl.depth()))
        .collect();
    assert_eq!(
        depths,
        [
            (1, 0),
            (3, 1),
            (5, 2),
            (2, 1),
            (9, 2),
            (10, 3),
            (6, 2),
            (7, 3),
            (8, 3),
            (4, 1),
            (12, 2)
        ]
    );
    assert_eq!(map.unplaced, [10]); // María José, index 10
    assert_eq!(map.order().len(), 12);
    assert_eq!(map.selectable().len(), map.selectable_len());
    // The second manager of Begoña is a cross link, not a second place in the tree.
    assert!(
        map.cross
            .iter()
            .any(|c| c.link.id == 16 && c.why == CrossWhy::Also)
    );
}

#[test]
fn the_twelve_person_map_reads_at_80_columns() {
    insta::assert_snapshot!(text(&hospital(), 80));
}

#[test]
fn narrow_widths_drop_columns_not_names() {
    let at40 = text(&hospital(), 40);
    assert!(at40.contains("Dr. Alberto Salcedo Peña"), "{at40}");
    assert!(!at40.contains("contacted"), "{at40}");
    for cells in [20, 33, 47, 61, 79, 100, 160] {
        text(&hospital(), cells);
    }
}

#[test]
fn wide_characters_are_cut_by_display_width() {
    let people = vec![
        Person {
            title: Some("部長".into()),
            ..p(1, "東京ヘルスケア卸株式会社の佐藤花子部長代理補佐", Some(5))
        },
        p(
            2,
            "Ñúñez Ибáñез 한빛대학교병원 🌿🌿🌿🌿🌿🌿🌿🌿🌿🌿🌿",
            Some(3),
        ),
    ];
    let map = PowerMap::build(
        people,
        vec![l(1, 2, LinkKind::ReportsTo, 1), l(2, 2, LinkKind::Rival, 1)],
        Vec::new(),
        false,
    );
    for cells in [20, 31, 40, 41, 80] {
        let t = text(&map, cells);
        assert!(t.contains('…'), "{t}");
    }
}

#[test]
fn loops_are_broken_once_and_nobody_is_lost() {
    // 1 → 2 → 3 → 1, and 4 reports to 3.
    let people = (1..=4).map(|i| p(i, &format!("P{i}"), Some(3))).collect();
    let links = vec![
        l(1, 1, LinkKind::ReportsTo, 2),
        l(2, 2, LinkKind::ReportsTo, 3),
        l(3, 3, LinkKind::ReportsTo, 1),
        l(4, 4, LinkKind::ReportsTo, 3),
        l(5, 2, LinkKind::ReportsTo, 2), // to oneself: ignored
    ];
    let map = PowerMap::build(people, links, Vec::new(), false);
    let mut seen = map.order();
    seen.sort_unstable();
    assert_eq!(seen, [1, 2, 3, 4]);
    let loops: Vec<_> = map
        .cross
        .iter()
        .filter(|c| c.why == CrossWhy::Loop)
        .collect();
    assert_eq!(loops.len(), 1);
    assert_eq!(map.tree[0].depth(), 0);
    assert!(text(&map, 80).contains("─reports to (loop)→"));
}

#[test]
fn people_without_reports_to_are_listed_as_not_placed() {
    let people = vec![p(1, "Ana", Some(2)), p(2, "Iván", Some(5))];
    let map = PowerMap::build(
        people,
        vec![l(1, 1, LinkKind::Influences, 2)],
        Vec::new(),
        false,
    );
    assert!(map.tree.is_empty());
    assert_eq!(map.order(), [2, 1]);
    let t = text(&map, 80);
    assert!(
        t.contains("Not placed") && t.contains("Ana  ─influences→  Iván"),
        "{t}"
    );
}

#[test]
fn outside_people_show_their_account_and_unknown_ends_are_dropped() {
    let people = vec![p(1, "Ana", Some(2))];
    let outside = vec![LinkedPerson {
        id: 7,
        name: "Nuño".into(),
        account: None,
        account_name: None,
    }];
    let links = vec![
        l(1, 1, LinkKind::ReportsTo, 7),
        l(2, 1, LinkKind::Rival, 8), // 8 is nobody we know
    ];
    let mut outside = outside;
    outside.push(LinkedPerson {
        id: 9,
        name: "Beyond".into(),
        account: Some(1),
        account_name: Some("The same account".into()),
    });
    let mut links = links;
    links.push(l(3, 9, LinkKind::Ally, 1));
    let map = PowerMap::build(people, links, outside, false);
    assert!(
        text(&map, 80).contains("Beyond · not drawn  ─ally─"),
        "{}",
        text(&map, 80)
    );
    assert_eq!(map.cross.len(), 2);
    assert_eq!(map.unplaced, [0]);
    let t = text(&map, 80);
    assert!(
        t.contains("  Ana                 ─reports to→  Nuño · no account"),
        "{t}"
    );
}

#[test]
fn an_empty_account_says_so_and_control_characters_never_reach_the_lines() {
    let empty = PowerMap::build(Vec::new(), Vec::new(), Vec::new(), false);
    assert_eq!(text(&empty, 80), "No people in this account yet.\n");
    let map = PowerMap::build(
        vec![p(1, "Evil\x1b[31mName", Some(1)), p(2, "B\u{202e}ob", None)],
        vec![l(1, 1, LinkKind::Friend, 2)],
        Vec::new(),
        true,
    );
    let mut map = map;
    map.more_people = true;
    let t = text(&map, 80);
    assert!(!t.contains('\x1b') && !t.contains('\u{202e}'), "{t:?}");
    assert!(t.contains("more links"), "{t}");
    assert!(t.contains("shows the first 2 by name"), "{t}");
}
