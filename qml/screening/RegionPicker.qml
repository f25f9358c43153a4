pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Tautband.Ui

// "Where?" for a screening answer: body area, side, then the atlas regions of that area as
// chips (three taps for one place), or "every site" when the place is not on the list.
// `areas` is PatientModel.screeningAreas; `selected` the chosen region ids (and "every_site").
ColumnLayout {
    id: picker
    property var areas: []
    property var selected: []
    property string objectPrefix: "where_"
    property int area: 0
    property string side: "right"
    signal toggled(string key)

    readonly property var regionChoices: {
        const group = picker.areas[picker.area]
        if (!group)
            return []
        return group.regions.filter(r => r.side === picker.side).map(r => ({ key: r.id, label: r.label }))
    }
    // The chosen places in words, for the tile and the record.
    readonly property string chosenText: {
        const words = []
        for (const key of picker.selected) {
            if (key === "every_site") {
                words.push(qsTr("every site"))
                continue
            }
            let label = key
            for (const g of picker.areas)
                for (const r of g.regions)
                    if (r.id === key)
                        label = r.label + " (" + r.side + ")"
            words.push(label)
        }
        return words.join(", ")
    }

    spacing: Theme.spacing / 2

    Text {
        text: qsTr("Body area")
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall - 2
    }
    ChoiceChips {
        Layout.fillWidth: true
        objectPrefix: picker.objectPrefix + "area_"
        choices: picker.areas.map((g, i) => ({ key: String(i), label: g.name }))
        selected: [String(picker.area)]
        onToggled: key => picker.area = Number(key)
    }
    ChoiceChips {
        Layout.fillWidth: true
        objectPrefix: picker.objectPrefix + "side_"
        choices: [{ key: "right", label: qsTr("Right side") }, { key: "left", label: qsTr("Left side") }]
        selected: [picker.side]
        onToggled: key => picker.side = key
    }
    Text {
        text: qsTr("Where (tap every place that applies)")
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall - 2
    }
    ChoiceChips {
        Layout.fillWidth: true
        objectPrefix: picker.objectPrefix
        choices: picker.regionChoices.concat([{ key: "every_site", label: qsTr("Every site / not listed") }])
        selected: picker.selected
        onToggled: key => picker.toggled(key)
    }
    Text {
        objectName: picker.objectPrefix + "chosen"
        Layout.fillWidth: true
        text: picker.selected.length > 0 ? qsTr("Where: %1").arg(picker.chosenText) : qsTr("Where? Choose at least one place.")
        textFormat: Text.PlainText
        color: picker.selected.length > 0 ? Theme.text : Theme.warning
        font.pixelSize: Theme.fontSmall
        wrapMode: Text.WordWrap
    }
}
