package datasets_test

import (
	"fmt"

	"github.com/nongrid/jepa/datasets"
)

// A folder of clouds in mixed formats: PLY (ascii and binary), PCD
// (ascii, binary, binary_compressed) and .xyz text, without class
// folders, so one unlabelled set "all".
func ExampleLoadCloudFolder() {
	cfg := datasets.CloudFolderConfig{Normals: true}
	if err := cfg.Validate(); err != nil { // check user settings before any work
		fmt.Println(err)
		return
	}
	sets, err := datasets.LoadCloudFolder("../testdata/clouds", cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	all := sets[datasets.CloudFolderAll]
	for _, c := range all.Clouds {
		fmt.Printf("%-22s %d points, normals %v, label %d\n", c.ID, c.Len(), c.Normals != nil, c.Label)
	}
	// Output:
	// cube                   8 points, normals true, label -1
	// cube_ascii             8 points, normals true, label -1
	// cube_binary            8 points, normals false, label -1
	// cube_binary_compressed 8 points, normals true, label -1
	// tetra_ascii            4 points, normals true, label -1
	// tetra_binary_be        4 points, normals false, label -1
	// tetra_binary_le        4 points, normals true, label -1
}

// Settings from users are checked before any work, with the field and
// the valid range in the message.
func ExampleCloudFolderConfig_Validate() {
	fmt.Println(datasets.CloudFolderConfig{NumPoints: -5}.Validate())
	fmt.Println(datasets.CheckPointMemory("NumPoints = 1000", 10, 1000, false))
	// Output:
	// datasets: CloudFolderConfig.NumPoints = -5, want 0 (the default) or 1 to 16777216
	// <nil>
}
