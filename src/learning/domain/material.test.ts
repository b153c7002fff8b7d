import { describe, expect, it } from 'vitest';
import { fileTypeOf } from '../../platform/file-types';
import { MATERIAL_FILE_TYPES, MATERIAL_NAME, materialName } from './material';

describe('a programme’s material', () => {
  it('is kept under one word an outline line can end with', () => {
    expect(materialName('C:\\Users\\admin\\NPQH Handbook  (2026).pdf', 'pdf')).toBe('NPQH-Handbook-(2026).pdf');
    expect(materialName('slides.PPTX', 'pptx')).toBe('slides.pptx');
    expect(materialName('..."".docx', 'docx')).toBe('material.docx');
    for (const name of ['NPQH-Handbook-(2026).pdf', 'slides.pptx', 'material.docx']) expect(name).toMatch(MATERIAL_NAME);
  });

  it('is a document, slides, a spreadsheet or a picture by its bytes; never a program, whatever its name', () => {
    expect(fileTypeOf('pptx', 'deck.pptx', MATERIAL_FILE_TYPES)).toBe('pptx');
    expect(fileTypeOf('png', 'diagram.png', MATERIAL_FILE_TYPES)).toBe('png');
    expect(fileTypeOf('exe', 'handbook.pdf', MATERIAL_FILE_TYPES)).toBeUndefined();
    expect(fileTypeOf('html', 'page.pdf', MATERIAL_FILE_TYPES)).toBeUndefined();
    expect(fileTypeOf('cfb', 'old.xls', MATERIAL_FILE_TYPES)).toBeUndefined();
  });
});
