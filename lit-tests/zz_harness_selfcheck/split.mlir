// RUN: split-file %s %t
// RUN: cat %t/a.txt | FileCheck %s
// CHECK: hello-a
//--- a.txt
hello-a
