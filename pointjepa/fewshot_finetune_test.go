package pointjepa

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEpisodeSets(t *testing.T) {
	train, test := syntheticSets(t)
	p, err := planFewShot(train, test, FewShotConfig{Settings: []FewShotSetting{{3, 4}}, Query: 5, Folds: 2})
	require.NoError(t, err)
	ep := p.episodes[0][1]
	sup, qry := episodeSets(train, test, ep, FewShotSetting{3, 4})
	require.Equal(t, 12, sup.Len())
	require.Equal(t, 15, qry.Len())
	assert.Len(t, sup.ClassNames, 3)
	assert.Equal(t, sup.ClassNames, qry.ClassNames)
	assert.Equal(t, []int{4, 4, 4}, sup.ClassCounts())
	assert.Equal(t, []int{5, 5, 5}, qry.ClassCounts())
	for k, i := range ep.support {
		orig := train.Clouds[i]
		assert.Equal(t, k/4, sup.Clouds[k].Label, "classes renumbered in draw order")
		assert.Equal(t, train.ClassNames[orig.Label], sup.ClassNames[k/4])
		assert.Equal(t, orig.ID, sup.Clouds[k].ID)
	}
	for k, i := range ep.query {
		orig := test.Clouds[i-train.Len()]
		assert.Equal(t, sup.ClassNames[qry.Clouds[k].Label], test.ClassNames[orig.Label])
	}
	// The sets own their clouds: changing them leaves the splits alone.
	sup.Clouds[0].Points[0].X = 42
	assert.NotEqual(t, 42.0, train.Clouds[ep.support[0]].Points[0].X)
}
