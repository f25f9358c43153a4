pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// The body atlas to look things up before treating: front and back, tap a muscle
// to see its name, side, whether it can be lifted (pincer) or has a palpable rib
// (rib bracketing), where its trigger points refer pain (drawn and in words),
// and the risk zones under the tapped point. Nothing here records or decides.
Rectangle {
    id: page
    objectName: "page_bodymap"
    property BodyMapModel bodyMap: null
    property string regionId: ""
    property var zonesHere: []
    readonly property var region: page.bodyMap && page.regionId !== "" ? page.bodyMap.region(page.regionId) : ({})
    color: Theme.background

    function select(view: string, x: real, y: real) {
        page.regionId = page.bodyMap.regionAt(view, x, y)
        const here = []
        for (const zone of page.bodyMap.zones(view)) {
            if (page.inside(zone.points, x, y))
                here.push(zone.structure)
        }
        page.zonesHere = here
    }
    // Ray casting: is (x, y) inside the polygon?
    function inside(points: var, x: real, y: real): bool {
        let hit = false
        for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
            const a = points[i]
            const b = points[j]
            if ((a.y > y) !== (b.y > y) && x < (b.x - a.x) * (y - a.y) / (b.y - a.y) + a.x)
                hit = !hit
        }
        return hit
    }

    Text {
        anchors.centerIn: parent
        visible: page.bodyMap === null
        text: qsTr("The body atlas is not loaded.")
        color: Theme.warning
        font.pixelSize: Theme.fontBody
    }

    RowLayout {
        visible: page.bodyMap !== null
        anchors { fill: parent; margins: Theme.spacing }
        spacing: Theme.spacing * 2

        ColumnLayout {
            Layout.fillHeight: true
            Layout.preferredWidth: 340
            spacing: Theme.spacing
            RowLayout {
                spacing: Theme.spacing
                TouchButton {
                    objectName: "atlasFront"
                    text: qsTr("Front")
                    tint: atlasMap.view === "front" ? Theme.accent : Theme.surfaceRaised
                    onClicked: atlasMap.view = "front"
                }
                TouchButton {
                    objectName: "atlasBack"
                    text: qsTr("Back")
                    tint: atlasMap.view === "back" ? Theme.accent : Theme.surfaceRaised
                    onClicked: atlasMap.view = "back"
                }
            }
            BodyMap {
                id: atlasMap
                objectName: "atlasMap"
                Layout.fillWidth: true
                Layout.fillHeight: true
                bodyMap: page.bodyMap
                selectedRegion: page.regionId
                onTapped: (view, x, y) => page.select(view, x, y)
            }
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacing
            Text {
                text: qsTr("Body atlas %1").arg(page.bodyMap ? page.bodyMap.atlasVersion : "")
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
            }
            Text {
                objectName: "atlasMuscle"
                Layout.fillWidth: true
                textFormat: Text.PlainText
                text: page.regionId === "" ? qsTr("Tap a muscle on the body.")
                                           : page.region.name + " (" + page.region.side + ")"
                color: Theme.text
                font.pixelSize: Theme.fontTitle
                wrapMode: Text.WordWrap
            }
            Text {
                objectName: "atlasTechnique"
                Layout.fillWidth: true
                visible: page.regionId !== ""
                text: (page.region.liftable ? qsTr("Can be lifted off the chest wall (pincer grip).")
                                            : qsTr("Cannot be lifted (no pincer grip)."))
                      + " " + (page.region.ribPalpable ? qsTr("A rib is palpable beneath (rib bracketing).")
                                                       : qsTr("No palpable rib beneath."))
                color: Theme.text
                font.pixelSize: Theme.fontBody
                wrapMode: Text.WordWrap
            }
            Text {
                objectName: "atlasReferral"
                Layout.fillWidth: true
                visible: page.regionId !== ""
                textFormat: Text.PlainText
                text: qsTr("Refers pain to: %1 (dashed on the body).").arg(page.region.referral)
                color: Theme.accent
                font.pixelSize: Theme.fontBody
                wrapMode: Text.WordWrap
            }
            Text {
                objectName: "atlasZones"
                Layout.fillWidth: true
                textFormat: Text.PlainText
                text: page.zonesHere.length > 0 ? qsTr("Risk zones here: %1. The needling and laser pages apply their rules.")
                                                  .arg(page.zonesHere.join(", "))
                                                : qsTr("No risk zone under the tapped point.")
                color: page.zonesHere.length > 0 ? Theme.warning : Theme.textMuted
                font.pixelSize: Theme.fontBody
                wrapMode: Text.WordWrap
            }
            Text {
                Layout.fillWidth: true
                text: qsTr("Red and amber areas are risk zones (lung fields, kidneys, spinal canal, neck vessels, eyes, thyroid, nerves). Pinch to zoom; double-tap to see the whole body.")
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.WordWrap
            }
            Item { Layout.fillHeight: true }
        }
    }
}
